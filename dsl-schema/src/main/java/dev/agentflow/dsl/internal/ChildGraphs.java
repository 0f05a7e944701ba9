package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.SubgraphRef;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Resolves the child graphs of one definition into complete, validated child definitions, and
 * pins each {@code path:} child into the parent's document as {@code {path, pinned}} so that the
 * parent's canonical JSON (and sha256) carries it: loading that JSON again, with no file access,
 * gives the same graph.
 *
 * <ul>
 *   <li>inline {@code {start, nodes, input?}}: completed with the parent's apiVersion, version,
 *       models, tools, pricing and egress, named {@code <parent>--<node>[--<branch>]}; its problems point
 *       into the parent's text;
 *   <li>{@code {path, pinned}}: bound from {@code pinned}; never reads a file;
 *   <li>{@code {path}}: read relative to the parent's file, only when the parent came from a file;
 *       its problems name the child's file;
 *   <li>{@code {ref, pinned}}: a registered graph the engine pinned when the run started, bound from
 *       {@code pinned}; {@code {ref}} alone is left for the engine (its definition is null).
 * </ul>
 */
final class ChildGraphs implements SubgraphResolver {

  private static final ObjectMapper MAPPER = JsonMappers.json();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final DefinitionPipeline pipeline;
  private final JsonNode parent;
  private final String sourceName;
  private final SourceMap sourceMap;
  private final Origin origin;
  private final boolean costLimited;
  private final List<Problem> problems = new ArrayList<>();

  ChildGraphs(DefinitionPipeline pipeline, JsonNode parent, String sourceName, SourceMap sourceMap,
      Origin origin, boolean costLimited) {
    this.pipeline = pipeline;
    this.parent = parent;
    this.sourceName = sourceName;
    this.sourceMap = sourceMap;
    this.origin = origin;
    this.costLimited = costLimited;
  }

  /** Does the definition limit cost in its own budget or a node's? */
  static boolean limitsCost(JsonNode root) {
    if (root.path("budget").has("maxCostUsd")) {
      return true;
    }
    for (JsonNode node : root.path("nodes")) {
      if (node.path("budget").has("maxCostUsd")) {
        return true;
      }
    }
    return false;
  }

  /** Every problem of every child, with the child's positions. */
  List<Problem> problems() {
    return List.copyOf(problems);
  }

  @Override
  public SubgraphRef resolve(String pointer, JsonNode graph, List<String> nameParts) {
    if (graph.has("ref") && !graph.has("path")) {
      // a registered graph: pinned by the engine when the run starts; until then nothing to check
      String source = SubgraphRef.REGISTRY_PREFIX + graph.get("ref").asText();
      return graph.has("pinned") ? pinned(pointer, source, graph.get("pinned")) : new SubgraphRef(source, null);
    }
    if (!graph.has("path")) {
      return inline(pointer, (ObjectNode) graph, nameParts);
    }
    String path = graph.get("path").asText();
    if (graph.has("pinned")) {
      return pinned(pointer, path, graph.get("pinned"));
    }
    return fromFile(pointer, path, (ObjectNode) graph);
  }

  private SubgraphRef inline(String pointer, ObjectNode graph, List<String> nameParts) {
    ObjectNode child = NODES.objectNode();
    child.set("apiVersion", parent.get("apiVersion"));
    child.put("name", childName(parent.path("name").asText(), nameParts));
    child.set("version", parent.get("version"));
    for (String inherited : List.of("models", "tools", "pricing", "egress")) {
      if (parent.has(inherited)) {
        child.set(inherited, parent.get(inherited));
      }
    }
    for (String own : List.of("input", "start", "nodes")) {
      if (graph.has(own)) {
        child.set(own, graph.get(own));
      }
    }
    SourceMap childMap = sourceMap.relocated(childPointer -> inlinePointer(pointer, childPointer));
    JsonNode loaded = load(() -> pipeline.loadTree(child, sourceName, childMap,
        origin.inline(costLimited).below(parent.get("egress"))));
    if (loaded != null) {
      // the child's own path graphs are pinned in its nodes: carry them into the parent's text
      graph.set("nodes", loaded.get("nodes").deepCopy());
    }
    return new SubgraphRef(null, loaded);
  }

  private SubgraphRef pinned(String pointer, String path, JsonNode pinned) {
    String pinnedPointer = JsonPointers.child(pointer, "pinned");
    SourceMap childMap = sourceMap.relocated(childPointer -> pinnedPointer + childPointer);
    return new SubgraphRef(path, load(() -> pipeline.loadTree(pinned, sourceName, childMap,
        origin.pinned(costLimited).below(parent.get("egress")))));
  }

  private SubgraphRef fromFile(String pointer, String path, ObjectNode graph) {
    String pathPointer = JsonPointers.child(pointer, "path");
    if (origin.directory().isEmpty()) {
      problem(pathPointer, "subgraph path '" + path + "' is not pinned: submit the definition with"
          + " `agentflow run` or inline the graph");
      return new SubgraphRef(path, null);
    }
    Path file;
    try {
      file = origin.directory().get().resolve(path).normalize();
    } catch (java.nio.file.InvalidPathException e) {
      problem(pathPointer, "subgraph path '" + PointerText.name(path) + "' is not a valid path: " + e.getReason());
      return new SubgraphRef(path, null);
    }
    Path absolute = Origin.absolute(file);
    if (origin.files().contains(absolute)) {
      List<Path> cycle = new ArrayList<>(origin.files().subList(origin.files().indexOf(absolute),
          origin.files().size()));
      cycle.add(absolute);
      problem(pathPointer, "subgraph path '" + path + "' makes a cycle: " + cycle.stream()
          .map(step -> step.getFileName().toString()).collect(Collectors.joining(" → ")));
      return new SubgraphRef(path, null);
    }
    if (!Files.isRegularFile(file)) {
      problem(pathPointer, "subgraph path '" + path + "' does not exist (looked for " + file + ")");
      return new SubgraphRef(path, null);
    }
    JsonNode loaded = load(() -> pipeline.loadFile(file, origin.below(parent.get("egress")), costLimited));
    if (loaded != null) {
      graph.set("pinned", loaded.deepCopy());
    }
    return new SubgraphRef(path, loaded);
  }

  /** The child's canonical JSON as a tree, or null (its problems collected) when it is rejected. */
  private JsonNode load(java.util.function.Supplier<LoadedDefinition> child) {
    try {
      return MAPPER.readTree(child.get().canonicalJson());
    } catch (DefinitionException e) {
      problems.addAll(e.problems());
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException("canonical JSON did not parse", e);
    }
  }

  private void problem(String pointer, String message) {
    SourcePosition position = sourceMap.valueAt(pointer);
    problems.add(new Problem(sourceName, position.line(), position.column(),
        sourceMap.inText(pointer), message));
  }

  /** A child pointer seen in the parent: its graph part inside the inline graph, the rest shared. */
  private static String inlinePointer(String graphPointer, String childPointer) {
    String first = childPointer.isEmpty() ? "" : childPointer.substring(1).split("/", 2)[0];
    return switch (first) {
      case "start", "nodes", "input" -> graphPointer + childPointer;
      case "models", "tools", "pricing", "egress" -> childPointer;
      default -> graphPointer;
    };
  }

  /** {@code <parent>--<part>--<part>}, each part lower-kebab-cased so the name stays valid. */
  static String childName(String parentName, List<String> parts) {
    StringBuilder name = new StringBuilder(parentName);
    for (String part : parts) {
      String kebab = part.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9]+", "-")
          .replaceAll("^-+|-+$", "");
      name.append("--").append(kebab);
    }
    return name.toString();
  }
}
