package dev.agentflow.engine.workflow;

import dev.agentflow.engine.llm.admission.CapacityWait;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;

/** The signal a model call sends its run while it waits for its pool's capacity ({@link CapacityWaits}). */
@WorkflowInterface
public interface CapacityWaitListener {

  @SignalMethod(name = CapacityWait.SIGNAL)
  void report(CapacityWait wait);
}
