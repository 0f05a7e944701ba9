package dev.agentflow.engine.testing;

import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import dev.agentflow.engine.testing.Replay;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Functions;

/**
 * Replays a recorded history on the current interpreter. A replay test asks one thing: does the
 * code still emit the recorded commands. The SDK's 1 s deadlock detector answers another (is the
 * machine fast enough right now), and a cold JVM on a loaded machine trips it on the first replay;
 * so replays here allow a workflow task 30 s.
 */
public final class Replay {

  private static final long DEADLOCK_DETECTION_MILLIS = 30_000;

  private Replay() {}

  /** Throws when {@code history} does not replay on {@link AgentGraphWorkflowImpl} without nondeterminism. */
  public static void check(WorkflowExecutionHistory history) throws Exception {
    check(history, AgentGraphWorkflowImpl::new);
  }

  /** As {@link #check(WorkflowExecutionHistory)}, on interpreters made by {@code interpreter}. */
  public static void check(WorkflowExecutionHistory history, Functions.Func<AgentGraphWorkflow> interpreter)
      throws Exception {
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance()) {
      Worker worker = environment.newWorker("replay",
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_MILLIS).build());
      worker.registerWorkflowImplementationFactory(AgentGraphWorkflow.class, interpreter);
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }
}
