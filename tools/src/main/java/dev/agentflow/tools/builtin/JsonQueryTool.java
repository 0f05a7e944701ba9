package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import java.util.Optional;

/**
 * {@code json_query}: picks one value out of a JSON document, so a model (or a graph) can pull a
 * field out of a large tool result without reading all of it.
 *
 * <p>Arguments: {@code json}, any JSON value, or a string holding JSON text (a string is always
 * parsed; text that is not JSON is an error); {@code path}, a JSON Pointer ({@code /items/0/name})
 * or a dot/bracket path ({@code $.items[0].name}), see {@link JsonPath}.
 *
 * <p>Result: {@code {"found": true, "value": <the value>}} when the path leads to a value (which
 * may itself be {@code null}), {@code {"found": false, "value": null}} when it does not. Bad
 * paths and unparseable JSON text are non-retryable {@code InvalidToolArguments}.
 */
public final class JsonQueryTool implements Tool {

  private static final JsonNode SCHEMA = Json.schema("""
      {"type": "object",
       "required": ["json", "path"],
       "properties": {
         "json": {"description": "The document: any JSON value, or a string containing JSON text."},
         "path": {"type": "string",
                  "description": "A JSON Pointer such as '/items/0/name' or a path such as '$.items[0].name'."}},
       "additionalProperties": false}
      """);

  @Override
  public String name() {
    return "json_query";
  }

  @Override
  public String description() {
    return "Selects one value from a JSON document by path ('$.items[0].name' or '/items/0/name'). "
        + "Returns {found, value}; found is false when nothing is at the path.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public JsonNode call(ToolContext context) throws ToolException {
    ObjectNode arguments = Json.arguments(context);
    JsonPath path = JsonPath.compile(context.requiredString("path"));
    JsonNode document = document(arguments.get("json"));
    Optional<JsonNode> selected = path.select(document);
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("found", selected.isPresent());
    result.set("value", selected.isPresent() ? selected.get().deepCopy() : NullNode.getInstance());
    return result;
  }

  private static JsonNode document(JsonNode json) throws ToolException {
    if (json == null) {
      throw ToolException.invalidArguments("argument 'json' is required");
    }
    if (!json.isTextual()) {
      return json;
    }
    try {
      JsonNode parsed = Json.MAPPER.readTree(json.asText());
      if (parsed == null || parsed.isMissingNode()) {
        throw ToolException.invalidArguments("argument 'json' is an empty string, not JSON text");
      }
      return parsed;
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? ""
          : " at line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr();
      throw ToolException.invalidArguments(
          "argument 'json' is a string but not JSON text: " + e.getOriginalMessage() + where);
    }
  }
}
