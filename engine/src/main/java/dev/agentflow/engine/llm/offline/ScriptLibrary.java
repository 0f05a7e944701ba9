package dev.agentflow.engine.llm.offline;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.ReadLimits;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * Offline scripts by graph name. A script is a YAML (or JSON) file:
 *
 * <pre>{@code
 * graph: tool-agent          # optional; else the file name without .offline.yaml
 * replies:
 *   agent:                   # node id
 *     - toolCalls: [{name: calculator, arguments: {expression: "6*7"}}]
 *       usage: {input: 120, output: 15}   # optional; default: estimated from text length
 *     - content: "The answer is 42."
 *       delayMs: 500                       # optional; the reply takes this long (a slow model)
 *   review:
 *     - content: '{"verdict": "approve"}'
 *     - content: ""
 *       finishReason: content_filter      # simulates a provider refusal
 * }</pre>
 *
 * <p>A library loaded from a single file answers for any graph, so a script can be tried against a
 * renamed graph; a library loaded from a directory answers by name, an inline child graph
 * ({@code map-reduce-summarizer--summarize-each}) from its parent's script when it has none of its
 * own. Scripts are read like definitions ({@link LocatedDocument}): every problem is a {@link
 * DefinitionException} at the script's line:column. {@link ScriptChecks} checks a script's node
 * names against its graph.
 */
public final class ScriptLibrary {

  /** Suffix of script files found in a directory. */
  public static final String SUFFIX = ".offline.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(JsonMappers.yamlFactoryBuilder().build()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

  private final Map<String, OfflineScript> byGraph;
  private final boolean singleFile;

  private ScriptLibrary(Map<String, OfflineScript> byGraph, boolean singleFile) {
    this.byGraph = Map.copyOf(byGraph);
    this.singleFile = singleFile;
  }

  /** An empty library: every call fails with {@code OfflineScriptMissing}. */
  public static ScriptLibrary empty() {
    return new ScriptLibrary(Map.of(), false);
  }

  /** A library of explicit scripts (tests). */
  public static ScriptLibrary of(List<OfflineScript> scripts) {
    Map<String, OfflineScript> byGraph = new TreeMap<>();
    scripts.forEach(script -> byGraph.put(script.graph(), script));
    return new ScriptLibrary(byGraph, false);
  }

  /**
   * One script file; it answers for any graph.
   *
   * @throws DefinitionException with every problem of the file, each at its line:column
   */
  public static ScriptLibrary loadFile(Path file) {
    OfflineScript script = parse(file);
    return new ScriptLibrary(Map.of(script.graph(), script), true);
  }

  /**
   * Every {@code *.offline.yaml} directly in {@code directory}, keyed by graph name.
   *
   * @throws DefinitionException naming the file and line:column of the first script that is wrong
   */
  public static ScriptLibrary loadDirectory(Path directory) {
    Map<String, OfflineScript> byGraph = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
        OfflineScript script = parse(file);
        OfflineScript previous = byGraph.put(script.graph(), script);
        if (previous != null) {
          throw new DefinitionException(List.of(new dev.agentflow.dsl.Problem(file.toString(), 0, 0, "",
              "two offline scripts answer for graph '" + script.graph() + "': " + previous.source() + " and " + file)));
        }
      }
    } catch (IOException e) {
      throw new DefinitionException(List.of(new dev.agentflow.dsl.Problem(directory.toString(), 0, 0, "",
          "cannot list offline scripts: " + e.getMessage())));
    }
    return new ScriptLibrary(byGraph, false);
  }

  /**
   * The script for a graph: its own, else (for an inline child graph, named {@code
   * <parent>--<node>[--<branch>]}) the nearest parent's, which is where the examples script their
   * children's nodes; a single-file library answers for any graph.
   */
  public Optional<OfflineScript> forGraph(String graphName) {
    String name = graphName;
    while (true) {
      OfflineScript script = byGraph.get(name);
      if (script != null) {
        return Optional.of(script);
      }
      int parent = name.lastIndexOf("--");
      if (parent <= 0) {
        break;
      }
      name = name.substring(0, parent);
    }
    return singleFile ? Optional.of(byGraph.values().iterator().next()) : Optional.empty();
  }

  /** Where the scripts came from, for error messages. */
  public List<String> sources() {
    return byGraph.values().stream().map(OfflineScript::source).toList();
  }

  /**
   * Reads one script file the way definitions are read (size cap, encoding, duplicate keys, YAML
   * anchors) and checks its shape.
   *
   * @throws DefinitionException with every problem, each at the file's line:column
   */
  public static OfflineScript parse(Path file) {
    return parse(LocatedDocument.read(file, ReadLimits.DEFAULTS));
  }

  /** A script from an already read document. */
  public static OfflineScript parse(LocatedDocument document) {
    ScriptFile parsed;
    JsonNode root = document.root();
    if (root == null || !root.isObject()) {
      throw new DefinitionException(List.of(document.problemAt("",
          "an offline script is a mapping with 'replies:' (and optionally 'graph:')")));
    }
    try {
      parsed = YAML.treeToValue(root, ScriptFile.class);
    } catch (JsonMappingException e) {
      throw new DefinitionException(List.of(document.problemAt(pointer(e), describe(e))));
    } catch (JsonProcessingException e) {
      throw new DefinitionException(List.of(document.problemAt("", e.getOriginalMessage())));
    }
    if (parsed.replies() == null) {
      throw new DefinitionException(List.of(document.problemAt("", "the offline script has no 'replies:'")));
    }
    Path file = Path.of(document.source());
    String graph = parsed.graph() != null ? parsed.graph() : graphNameFromFile(file);
    Map<String, List<ScriptedReply>> replies = new LinkedHashMap<>();
    List<dev.agentflow.dsl.Problem> problems = new ArrayList<>();
    parsed.replies().forEach((node, list) -> {
      if (list == null || list.isEmpty()) {
        problems.add(document.problemAtKey("/replies/" + escape(node),
            "node '" + node + "' has no replies (give at least one)"));
      } else {
        replies.put(node, List.copyOf(list));
      }
    });
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
    return new OfflineScript(graph, replies, document.source());
  }

  private static String pointer(JsonMappingException e) {
    StringBuilder pointer = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        pointer.append('/').append(escape(reference.getFieldName()));
      } else if (reference.getIndex() >= 0) {
        pointer.append('/').append(reference.getIndex());
      }
    }
    return pointer.toString();
  }

  private static String describe(JsonMappingException e) {
    if (e instanceof UnrecognizedPropertyException unknown) {
      return "unknown property '" + unknown.getPropertyName() + "' (allowed: "
          + String.join(", ", unknown.getKnownPropertyIds().stream().map(String::valueOf).sorted().toList()) + ")";
    }
    String message = e.getOriginalMessage() == null ? "invalid value" : e.getOriginalMessage();
    return message.lines().findFirst().orElse(message).replaceAll(" \\(class [^)]*\\)", "")
        .replace("`", "'").replaceAll("dev\\.agentflow\\.engine\\.llm\\.offline\\.ScriptedReply\\$?", "");
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }

  private static String graphNameFromFile(Path file) {
    String name = file.getFileName().toString();
    if (name.endsWith(SUFFIX)) {
      return name.substring(0, name.length() - SUFFIX.length());
    }
    int dot = name.lastIndexOf('.');
    return dot > 0 ? name.substring(0, dot) : name;
  }

  /** The file as written. */
  record ScriptFile(String graph, Map<String, List<ScriptedReply>> replies) {}
}
