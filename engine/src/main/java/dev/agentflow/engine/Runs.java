package dev.agentflow.engine;

import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.Map;

/**
 * Starting runs from our own client. The memo carries the graph's name, version and sha256 so any
 * Temporal tool (UI, CLI) shows which definition a run is pinned to.
 */
public final class Runs {

  private Runs() {}

  /** A stub for a new run of this definition; start it with {@code stub.start(RunRequest)}. */
  public static WorkflowStub newStub(WorkflowClient client, LoadedDefinition loaded, String workflowId, String taskQueue) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            .setMemo(memo(loaded))
            .build();
    return client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE, options);
  }

  public static Map<String, Object> memo(LoadedDefinition loaded) {
    return Map.of(
        "graph", loaded.graph().name(),
        "version", loaded.graph().version(),
        "sha256", loaded.sha256());
  }
}
