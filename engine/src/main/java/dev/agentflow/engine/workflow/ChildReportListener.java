package dev.agentflow.engine.workflow;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;

/** The signal a cancelled child run sends its parent with what it spent ({@link ChildReports}). */
@WorkflowInterface
public interface ChildReportListener {

  /** Signal name, stable across releases (recorded histories depend on it). */
  String SIGNAL = "agentflow-child-report";

  @SignalMethod(name = SIGNAL)
  void report(ChildReport report);
}
