package dev.agentflow.engine.mcp;

import java.util.List;
import java.util.Optional;

/**
 * A run's record of one MCP server's tools, taken when a node first needs the server: the list's
 * sha256 and a reference to the list itself in the blob store (descriptions and schemas stay out of
 * history), each tool's name and model-facing name, and how its calls run (timeout and retries from
 * the worker config). Workflow history holds it as the snapshot activity's result, and a run that
 * continues as new carries it, so a replay and a continuation offer the model the same tools.
 *
 * @param sha256 hex sha256 of the canonical tool list
 * @param listRef blob reference of the canonical tool list
 * @param tools the tools, sorted by name
 * @param calls timeout and retry policy of the server's tool calls
 */
public record McpToolSnapshot(String server, String sha256, String listRef, List<Tool> tools, CallPolicy calls) {

  public McpToolSnapshot {
    tools = tools == null ? List.of() : List.copyOf(tools);
  }

  /**
   * One tool of the snapshot.
   *
   * @param name the server's name for it
   * @param modelName the name the model sees ({@code files__read_text_file})
   * @param sideEffects the worker config lists it under {@code sideEffects}: it is called at most once
   */
  public record Tool(String name, String modelName, boolean sideEffects) {}

  /**
   * How the server's tool calls run, in plain numbers (workflow state is serialised without a
   * java.time module).
   */
  public record CallPolicy(
      long timeoutMillis, long initialIntervalMillis, double backoff, long maxIntervalMillis, int maxAttempts) {}

  public Optional<Tool> tool(String name) {
    return tools.stream().filter(tool -> tool.name().equals(name)).findFirst();
  }

  /** The tool a model asked for, by its model-facing name. */
  public Optional<Tool> byModelName(String modelName) {
    return tools.stream().filter(tool -> tool.modelName().equals(modelName)).findFirst();
  }

  public List<String> names() {
    return tools.stream().map(Tool::name).toList();
  }
}
