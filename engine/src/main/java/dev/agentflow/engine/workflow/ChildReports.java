package dev.agentflow.engine.workflow;

import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.TreeMap;

/**
 * The reports a run's child runs send when they are cancelled (a cancelled workflow's close event
 * carries no details, so a child signals its parent before it ends), and the reports failed
 * children carry in their failure's details. Registered on the first child a run starts; a report
 * is kept only for a child the run started, so nothing else can bill the run.
 */
final class ChildReports {

  private final Map<String, ChildReport> received = new TreeMap<>();
  private final Map<String, Boolean> expected = new TreeMap<>();
  private boolean registered;

  /** Starts expecting a report from the child {@code workflowId} (registering the signal on first use). */
  void expect(String workflowId) {
    if (!registered) {
      Workflow.registerListener(new Receiver(this));
      registered = true;
    }
    expected.put(workflowId, Boolean.TRUE);
  }

  /**
   * The report the child sent when it was cancelled, or null (it was not cancelled, or came from
   * before reports existed); the child is no longer expected either way.
   */
  ChildReport take(String workflowId) {
    expected.remove(workflowId);
    return received.remove(workflowId);
  }

  /** The report a failed child carried in its failure's details, or null. */
  static ChildReport failed(ApplicationFailure failure) {
    if (failure == null || failure.getDetails() == null || failure.getDetails().getSize() == 0) {
      return null;
    }
    try {
      return failure.getDetails().get(0, ChildReport.class);
    } catch (DataConverterException | IndexOutOfBoundsException notAReport) {
      return null;
    }
  }

  private void accept(ChildReport report) {
    if (report != null && report.workflowId() != null && expected.containsKey(report.workflowId())) {
      received.put(report.workflowId(), report);
    }
  }

  /** The object the SDK delivers the signal to. */
  private static final class Receiver implements ChildReportListener {
    private final ChildReports reports;

    Receiver(ChildReports reports) {
      this.reports = reports;
    }

    @Override
    public void report(ChildReport report) {
      reports.accept(report);
    }
  }
}
