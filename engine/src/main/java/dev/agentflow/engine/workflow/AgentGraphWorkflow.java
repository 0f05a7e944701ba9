package dev.agentflow.engine.workflow;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * The one workflow type of agentflow: it interprets any agent graph. Started with {@code
 * {definition, input, options}} by our client or any other Temporal client, e.g. {@code temporal
 * workflow start --type AgentGraph --task-queue agentflow --input '{...}'}.
 */
@WorkflowInterface
public interface AgentGraphWorkflow {

  /** Workflow type name, stable across releases. */
  String TYPE = "AgentGraph";

  /** Default task queue of the workflow and its activities. */
  String TASK_QUEUE = "agentflow";

  @WorkflowMethod(name = TYPE)
  RunResult run(RunRequest request);

  /** The trace so far, the node being executed and the usage: for CLIs and dashboards. */
  @QueryMethod(name = "progress")
  Progress progress();

  /**
   * The run's live events from {@code fromOffset} on (node starts and finishes, model and tool
   * calls, child runs, fan-out progress): poll it with the {@code next} of the last answer. Stock
   * CLI: {@code temporal workflow query --workflow-id ID --type events --input 0}.
   */
  @QueryMethod(name = "events")
  RunEventsPage events(long fromOffset);
}
