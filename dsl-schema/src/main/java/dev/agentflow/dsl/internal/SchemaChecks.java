package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.SchemaException;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.SchemaSite;
import java.util.HashSet;
import java.util.Set;

/**
 * The JSON Schemas written inside a definition ({@code input}, and each schema a node lists in
 * {@link Node#schemas()}, such as {@code outputSchema} or a wait node's {@code payload}) are
 * themselves valid JSON Schema 2020-12 and compile, so a mistake in them shows up when the
 * definition loads instead of when the first run starts.
 */
public final class SchemaChecks {

  private SchemaChecks() {}

  public static void check(GraphDefinition graph, ProblemCollector problems) {
    checkSchema(graph.inputSchema(), "/input", problems);
    for (Node node : graph.nodes().values()) {
      for (SchemaSite site : node.schemas()) {
        checkSchema(site.schema(), JsonPointers.node(node.id()) + site.pointer(), problems);
      }
    }
  }

  private static void checkSchema(JsonNode schema, String pointer, ProblemCollector problems) {
    if (schema == null) {
      return;
    }
    boolean valid = true;
    Set<String> reported = new HashSet<>();
    for (Error error : Schemas.metaSchema().validate(schema)) {
      String at = pointer + SchemaProblems.pointer(error.getInstanceLocation());
      if (!reported.add(at)) {
        continue; // the meta-schema's anyOf gives one message per branch; the first one says enough
      }
      problems.atValue(at, PointerText.field(pointer) + " is not a valid JSON Schema: "
          + PointerText.field(at) + " " + error.getMessage());
      valid = false;
    }
    if (!valid) {
      return;
    }
    try {
      Schemas.compile(schema);
    } catch (SchemaException | IllegalArgumentException e) {
      problems.atValue(pointer, PointerText.field(pointer) + " is not a usable JSON Schema: "
          + e.getMessage());
    }
  }
}
