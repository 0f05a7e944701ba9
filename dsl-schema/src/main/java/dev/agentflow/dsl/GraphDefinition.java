package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import java.util.Map;

/**
 * A validated agent graph, bound from YAML or JSON. Immutable so a running workflow can hold it
 * without ever seeing a later edit of the file it came from.
 *
 * @param inputSchema JSON Schema for the run's input, or null when any input is accepted
 * @param models model name to its settings, in file order
 * @param tools tool name to per-tool activity settings (timeouts, retries); may be empty
 * @param nodes node id to node, in file order
 * @param pricing model name (the definition's) to its price, for cost budgets; may be empty
 * @param budget the run's budget, or null for none
 * @param egress where the run's tools and model endpoints may connect (narrowing the worker's
 *     policy), or null when the definition does not narrow
 */
public record GraphDefinition(
    String apiVersion,
    String name,
    int version,
    String description,
    JsonNode inputSchema,
    Map<String, ModelSpec> models,
    Map<String, ToolSettings> tools,
    String start,
    Map<String, Node> nodes,
    Map<String, Price> pricing,
    Budget budget,
    Egress egress) {

  public Node node(String id) {
    Node node = nodes.get(id);
    if (node == null) {
      throw new IllegalArgumentException("no node '" + id + "' in graph " + name);
    }
    return node;
  }

  /** The definition's {@code egress.allow}, or null when it does not narrow. */
  public List<String> egressAllow() {
    return egress == null ? null : egress.allow();
  }

  /** A tool's activity settings: its entry under {@code tools:}, or {@link ToolSettings#DEFAULT}. */
  public ToolSettings toolSettings(String tool) {
    return tools.getOrDefault(tool, ToolSettings.DEFAULT);
  }
}
