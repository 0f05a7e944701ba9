package dev.agentflow.engine.registry;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * Child graphs that name a registered graph ({@code {ref: NAME@ALIAS}} as a subgraph, map graph or
 * parallel branch, at any depth: inside inline graphs and pinned children too). Finding them is
 * pure and deterministic (the interpreter asks whether a definition has any); pinning them writes
 * each resolved definition into the graph as {@code {ref, pinned}}, which the loader then binds
 * like a pinned path graph.
 */
public final class SubgraphReferences {

  /** How deep registered graphs may reference registered graphs; deeper is taken for a cycle. */
  static final int MAX_DEPTH = 8;

  private static final ObjectMapper JSON = JsonMappers.json();
  private static final ObjectMapper YAML = new ObjectMapper(JsonMappers.yamlFactoryBuilder().build());

  private SubgraphReferences() {}

  /** One child reference pinned at the start of a run. */
  public record Pin(String reference, String name, int version, String sha256) {}

  /**
   * The references not pinned yet in a definition given as a JSON object or as YAML/JSON text;
   * empty for text that does not parse (its checks report it).
   */
  public static List<String> unpinned(JsonNode definition) {
    JsonNode tree = asTree(definition);
    List<String> references = new ArrayList<>();
    if (tree != null) {
      visit(tree, graph -> {
        if (graph.path("ref").isTextual() && !graph.has("pinned") && !graph.has("path")) {
          references.add(graph.get("ref").asText());
        }
      });
    }
    return references;
  }

  /**
   * A copy of {@code definition} with every reference pinned by {@code resolve}, recursively (the
   * resolved definitions' own references too).
   *
   * @param pins receives each reference pinned, in the order met
   * @throws RegistryException when a reference does not resolve, or references nest deeper than
   *     {@value #MAX_DEPTH}
   */
  public static JsonNode pin(JsonNode definition, Function<GraphReference, ResolvedGraph> resolve, List<Pin> pins) {
    JsonNode tree = asTree(definition);
    if (tree == null) {
      return definition;
    }
    ObjectNode copy = (ObjectNode) tree.deepCopy();
    pinInto(copy, resolve, pins, 0);
    return copy;
  }

  private static void pinInto(JsonNode definition, Function<GraphReference, ResolvedGraph> resolve, List<Pin> pins, int depth) {
    List<ObjectNode> toPin = new ArrayList<>();
    visit(definition, graph -> {
      if (graph.path("ref").isTextual() && !graph.has("pinned") && !graph.has("path")) {
        toPin.add(graph);
      }
    });
    if (!toPin.isEmpty() && depth >= MAX_DEPTH) {
      throw new RegistryException(RegistryException.INVALID_REFERENCE,
          "registered graphs reference each other more than " + MAX_DEPTH + " levels deep (a cycle?) at '"
              + toPin.get(0).get("ref").asText() + "'");
    }
    for (ObjectNode graph : toPin) {
      GraphReference reference;
      try {
        reference = GraphReference.parse(graph.get("ref").asText());
      } catch (IllegalArgumentException e) {
        throw new RegistryException(RegistryException.INVALID_REFERENCE, e.getMessage());
      }
      ResolvedGraph resolved = resolve.apply(reference);
      pins.add(new Pin(reference.toString(), resolved.name(), resolved.version(), resolved.sha256()));
      JsonNode child = resolved.definition().deepCopy();
      pinInto(child, resolve, pins, depth + 1);
      graph.set("pinned", child);
    }
  }

  /** Calls {@code visitor} on every child graph object, depth first, in document order. */
  private static void visit(JsonNode definition, java.util.function.Consumer<ObjectNode> visitor) {
    for (JsonNode node : definition.path("nodes")) {
      List<JsonNode> graphs = new ArrayList<>();
      if (node.path("graph").isObject()) {
        graphs.add(node.get("graph"));
      }
      for (JsonNode branch : node.path("branches")) {
        if (branch.isObject()) {
          graphs.add(branch);
        }
      }
      for (JsonNode graph : graphs) {
        visitor.accept((ObjectNode) graph);
        if (graph.path("pinned").isObject()) {
          visit(graph.get("pinned"), visitor);
        } else if (graph.path("nodes").isObject()) {
          visit(graph, visitor);
        }
      }
    }
  }

  private static JsonNode asTree(JsonNode definition) {
    if (definition == null || definition.isNull() || definition.isMissingNode()) {
      return null;
    }
    if (definition.isObject()) {
      return definition;
    }
    if (!definition.isTextual()) {
      return null;
    }
    try {
      JsonNode tree = YAML.readTree(definition.asText());
      return tree != null && tree.isObject() ? tree : null;
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
