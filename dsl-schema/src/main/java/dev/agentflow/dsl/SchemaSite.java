package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * A JSON Schema written inside a node ({@code outputSchema}, a wait node's {@code payload}), so
 * validation can check that each one is a usable schema without knowing node kinds.
 *
 * @param pointer where it is written, relative to the node
 */
public record SchemaSite(String pointer, JsonNode schema) {

  static List<SchemaSite> of(String field, JsonNode schema) {
    return schema == null ? List.of() : List.of(new SchemaSite("/" + field, schema));
  }

  SchemaSite under(String prefix) {
    return new SchemaSite(prefix + pointer, schema);
  }
}
