package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;

/**
 * {@code echo}: returns its arguments unchanged. Deterministic and side-effect free, so graphs and
 * tests can exercise the tool path (activity, retries, claim check) without a network.
 */
public final class EchoTool implements Tool {

  private static final JsonNode SCHEMA = Json.schema("""
      {"type": "object",
       "properties": {"message": {"type": "string", "description": "Any text; every argument is echoed back."}},
       "additionalProperties": true}
      """);

  @Override
  public String name() {
    return "echo";
  }

  @Override
  public String description() {
    return "Returns its arguments unchanged, as a JSON object. Useful for testing.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public JsonNode call(ToolContext context) throws ToolException {
    return Json.arguments(context).deepCopy();
  }
}
