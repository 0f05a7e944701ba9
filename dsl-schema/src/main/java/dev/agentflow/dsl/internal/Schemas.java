package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.path.PathType;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The compiled agent-graph schema and the registry that compiles input and output schemas.
 *
 * <p>Compiled once per JVM (class initialisation is thread-safe) from the classpath copy of {@code
 * dsl-schema/agent-graph.schema.json}. The registry's default loader reads the JSON Schema
 * meta-schemas from its own jar and never fetches remote references, so validation does no I/O.
 */
public final class Schemas {

  /** Where the pom copies the root schema file. */
  public static final String RESOURCE = "dev/agentflow/dsl/agent-graph.schema.json";

  public static final String ID = "https://agentflow.dev/schema/agent-graph.schema.json";

  private static final SchemaRegistry REGISTRY =
      SchemaRegistry.withDefaultDialect(
          SpecificationVersion.DRAFT_2020_12,
          builder ->
              builder.schemaRegistryConfig(
                  SchemaRegistryConfig.builder().pathType(PathType.JSON_POINTER).build()));

  private static final JsonNode AGENT_GRAPH_JSON = readResource();
  private static final Schema AGENT_GRAPH = compileAgentGraph();
  private static final Schema META_SCHEMA = compileMetaSchema();

  private Schemas() {}

  /** The compiled agent-graph schema; thread-safe. */
  public static Schema agentGraph() {
    return AGENT_GRAPH;
  }

  /** The agent-graph schema as JSON, to look up titles and property lists for messages. */
  public static JsonNode agentGraphJson() {
    return AGENT_GRAPH_JSON;
  }

  /** The JSON Schema 2020-12 meta-schema, which schemas written inside a definition must satisfy. */
  public static Schema metaSchema() {
    return META_SCHEMA;
  }

  /**
   * Compiles a schema written inside a definition ({@code input}, {@code outputSchema}).
   *
   * @throws com.networknt.schema.SchemaException when it is not a usable schema
   */
  public static Schema compile(JsonNode schema) {
    Schema compiled = REGISTRY.getSchema(schema);
    compiled.initializeValidators();
    return compiled;
  }

  private static Schema compileAgentGraph() {
    Schema schema = REGISTRY.getSchema(SchemaLocation.of(ID), AGENT_GRAPH_JSON);
    schema.initializeValidators();
    return schema;
  }

  private static Schema compileMetaSchema() {
    Schema schema =
        REGISTRY.getSchema(SchemaLocation.of(SpecificationVersion.DRAFT_2020_12.getDialectId()));
    schema.initializeValidators();
    return schema;
  }

  private static JsonNode readResource() {
    try (InputStream in = Schemas.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      if (in == null) {
        throw new IllegalStateException("schema resource " + RESOURCE + " is not on the classpath");
      }
      return JsonMappers.json().readTree(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + RESOURCE, e);
    }
  }
}
