package dev.agentflow.tools.builtin;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;

/** The one {@link ObjectMapper} of the built-in tools, and the argument checks they share. */
final class Json {

  static final ObjectMapper MAPPER = JsonMappers.json();

  private Json() {}

  /** Parses a schema written as JSON text in a tool's source; a typo there is a bug, not input. */
  static JsonNode schema(String json) {
    try {
      return MAPPER.readTree(json);
    } catch (Exception e) {
      throw new IllegalStateException("built-in tool schema is not valid JSON: " + json, e);
    }
  }

  /** The call's arguments, which must be a JSON object. */
  static ObjectNode arguments(ToolContext context) throws ToolException {
    JsonNode arguments = context.arguments();
    if (arguments == null || !arguments.isObject()) {
      throw ToolException.invalidArguments(
          "arguments must be a JSON object, got " + (arguments == null ? "nothing" : arguments.getNodeType()));
    }
    return (ObjectNode) arguments;
  }
}
