package dev.agentflow.engine.llm;

import dev.agentflow.engine.llm.admission.CapacityWait;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.WorkflowClient;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reports a model call's wait for capacity to the run that scheduled the call, as the signal
 * {@link CapacityWait#SIGNAL} through the worker's own client: the run keeps it for its {@code
 * progress} query. A signal that cannot be sent (the run has ended, the server is unreachable) is
 * logged and dropped; the call goes on waiting either way.
 */
public final class SignallingCapacityWaitReporter implements CapacityWaitReporter {

  private static final Logger LOG = LoggerFactory.getLogger(SignallingCapacityWaitReporter.class);

  private final WorkflowClient client;

  public SignallingCapacityWaitReporter(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void report(CapacityWait wait) {
    ActivityInfo info;
    try {
      info = Activity.getExecutionContext().getInfo();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return;
    }
    try {
      client.newUntypedWorkflowStub(info.getWorkflowId(), Optional.of(info.getRunId()), Optional.empty())
          .signal(CapacityWait.SIGNAL, wait);
    } catch (RuntimeException e) {
      LOG.warn("could not tell run {} that call {} waits for capacity: {}", info.getWorkflowId(), wait.call(),
          e.toString());
    }
  }
}
