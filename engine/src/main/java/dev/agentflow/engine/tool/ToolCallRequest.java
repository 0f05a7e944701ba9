package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Input of one tool activity.
 *
 * @param nodeId node making the call
 * @param toolName registered tool name
 * @param arguments the call's arguments (a JSON object)
 * @param origin who wrote the arguments: {@value #FROM_DEFINITION} (a {@code tool} node's templated
 *     arguments) or {@value #FROM_MODEL} (a model's tool call); anything else, null included, counts
 *     as the model: its arguments are checked against the tool's schema and may not use secrets
 * @param egressAllow the definition's {@code egress.allow}, or null when it does not narrow
 */
public record ToolCallRequest(String nodeId, String toolName, JsonNode arguments, String origin, List<String> egressAllow) {

  public static final String FROM_MODEL = "model";
  public static final String FROM_DEFINITION = "definition";

  /** A call whose arguments came from a model, with no narrowing. */
  public ToolCallRequest(String nodeId, String toolName, JsonNode arguments) {
    this(nodeId, toolName, arguments, FROM_MODEL, null);
  }

  /** Whether the arguments were written by the definition (only then may they use secrets). */
  public boolean fromDefinition() {
    return FROM_DEFINITION.equals(origin);
  }
}
