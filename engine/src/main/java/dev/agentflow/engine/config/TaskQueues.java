package dev.agentflow.engine.config;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.unsafe.WorkflowUnsafe;
import java.util.List;
import java.util.Locale;

/**
 * Task queue names. The workflow picks an LLM call's queue from the definition alone (the model's
 * provider names the pool) and from its own task queue, so the choice is deterministic on replay and
 * needs no engine configuration inside the workflow; workers serve the same names from their config.
 * With the default workflow queue {@code agentflow}: {@code agentflow-llm-openai}, {@code
 * agentflow-llm-offline}, {@code agentflow-tools}. Two deployments on different workflow queues of one
 * namespace never take each other's activities.
 */
public final class TaskQueues {

  /** Every provider a definition may name: a worker serves a pool for each, configured or not. */
  public static final List<String> PROVIDERS = List.of(ProviderRegistry.OPENAI, ProviderRegistry.OFFLINE);

  private TaskQueues() {}

  /** The pool of a model: its provider ({@code openai} when unset, as the provider registry does). */
  public static String poolOf(ModelSpec model) {
    String provider = model.provider() == null ? ProviderRegistry.OPENAI : model.provider();
    return provider.toLowerCase(Locale.ROOT);
  }

  /** The queue of a pool's LLM activities: {@code <workflowQueue>-llm-<pool>}. */
  public static String llm(String workflowQueue, String pool) {
    return workflowQueue + "-llm-" + pool;
  }

  /** The queue of tool activities: {@code <workflowQueue>-tools}. */
  public static String tools(String workflowQueue) {
    return workflowQueue + "-tools";
  }

  /**
   * The queue of one MCP server's tool calls: {@code <workflowQueue>-mcp-<server>}; its worker slots
   * are the server's {@code maxConcurrent}.
   */
  public static String mcp(String workflowQueue, String server) {
    return workflowQueue + "-mcp-" + server;
  }

  /**
   * The task queue of the calling workflow (recorded in its start event, so the same on replay), or
   * {@code agentflow} outside a workflow.
   */
  public static String ofCurrentWorkflow() {
    return WorkflowUnsafe.isWorkflowThread() ? Workflow.getInfo().getTaskQueue() : AgentGraphWorkflow.TASK_QUEUE;
  }
}
