package dev.agentflow.engine;

import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.util.Map;

/**
 * Starting runs from our own client. The memo carries the graph's name, version and sha256 so any
 * Temporal tool (UI, CLI) shows which definition a run is pinned to; the static summary and details
 * say it in words where the Web UI's list and run page and {@code temporal workflow describe} show
 * them (the run keeps its current details, where it is now, up to date itself).
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
            .setStaticSummary(summary(loaded))
            .setStaticDetails(details(loaded))
            .build();
    return client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE, options);
  }

  /**
   * A stub for a new run of a registered graph ({@code NAME@ALIAS}, {@code NAME:VERSION} or
   * {@code NAME}): the run resolves the reference itself, so the summary names the reference and the
   * run's own details say which version it got.
   */
  public static WorkflowStub newStubByReference(WorkflowClient client, String reference, String workflowId, String taskQueue) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(taskQueue)
            .setMemo(Map.of("graph", reference))
            .setStaticSummary(reference + " · from the graph registry")
            .setStaticDetails("**graph** " + reference + " (the version is resolved when the run starts)")
            .build();
    return client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE, options);
  }

  /** One line for the Web UI's list: {@code <graph> v<version> · starts at <node>}. */
  public static String summary(LoadedDefinition loaded) {
    return loaded.graph().name() + " v" + loaded.graph().version() + " · starts at " + loaded.graph().start();
  }

  /** Markdown for the run's page: the graph, its description, its nodes and its pin. */
  public static String details(LoadedDefinition loaded) {
    String description = loaded.graph().description();
    return "**graph** " + loaded.graph().name() + " v" + loaded.graph().version()
        + (description == null || description.isBlank() ? "" : " — " + description.strip()) + "  \n"
        + "**nodes** " + String.join(", ", loaded.graph().nodes().keySet()) + "  \n"
        + "**sha256** `" + loaded.sha256() + "`";
  }

  public static Map<String, Object> memo(LoadedDefinition loaded) {
    return Map.of(
        "graph", loaded.graph().name(),
        "version", loaded.graph().version(),
        "sha256", loaded.sha256());
  }
}
