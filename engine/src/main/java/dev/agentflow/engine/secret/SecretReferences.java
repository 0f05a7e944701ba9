package dev.agentflow.engine.secret;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;

/**
 * Finds a {@code {"secret": …}} object in tool arguments. Arguments a model wrote may never hold
 * one (the built-in tools and MCP tools both refuse them), and MCP tools never accept one at all.
 */
public final class SecretReferences {

  private SecretReferences() {}

  /** The JSON pointer of the first secret reference, if there is one. */
  public static Optional<String> find(JsonNode value, String pointer) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isObject()) {
      if (value.has("secret")) {
        return Optional.of(pointer.isEmpty() ? "/" : pointer);
      }
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Optional<String> found = find(field.getValue(), pointer + "/" + field.getKey().replace("~", "~0").replace("/", "~1"));
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        Optional<String> found = find(value.get(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }
}
