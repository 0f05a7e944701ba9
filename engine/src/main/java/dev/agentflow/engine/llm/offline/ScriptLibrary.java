package dev.agentflow.engine.llm.offline;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * renamed graph; a library loaded from a directory answers by name only.
 */
public final class ScriptLibrary {

  /** Suffix of script files found in a directory. */
  public static final String SUFFIX = ".offline.yaml";

  private static final ObjectMapper YAML =
      new ObjectMapper(new YAMLFactory()).configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);

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

  /** One script file; it answers for any graph. */
  public static ScriptLibrary loadFile(Path file) {
    OfflineScript script = parse(file);
    return new ScriptLibrary(Map.of(script.graph(), script), true);
  }

  /** Every {@code *.offline.yaml} directly in {@code directory}, keyed by graph name. */
  public static ScriptLibrary loadDirectory(Path directory) {
    Map<String, OfflineScript> byGraph = new TreeMap<>();
    try (Stream<Path> files = Files.list(directory)) {
      for (Path file : files.filter(f -> f.getFileName().toString().endsWith(SUFFIX)).sorted().toList()) {
        OfflineScript script = parse(file);
        OfflineScript previous = byGraph.put(script.graph(), script);
        if (previous != null) {
          throw new IllegalArgumentException(
              "two offline scripts answer for graph '" + script.graph() + "': " + previous.source() + " and " + file);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot list offline scripts in " + directory, e);
    }
    return new ScriptLibrary(byGraph, false);
  }

  /** The script for a graph. */
  public Optional<OfflineScript> forGraph(String graphName) {
    OfflineScript script = byGraph.get(graphName);
    if (script == null && singleFile) {
      script = byGraph.values().iterator().next();
    }
    return Optional.ofNullable(script);
  }

  /** Where the scripts came from, for error messages. */
  public List<String> sources() {
    return byGraph.values().stream().map(OfflineScript::source).toList();
  }

  private static OfflineScript parse(Path file) {
    ScriptFile parsed;
    try {
      parsed = YAML.readValue(file.toFile(), ScriptFile.class);
    } catch (IOException e) {
      throw new IllegalArgumentException("cannot read offline script " + file + ": " + e.getMessage(), e);
    }
    if (parsed == null || parsed.replies() == null) {
      throw new IllegalArgumentException("offline script " + file + " has no 'replies:'");
    }
    String graph = parsed.graph() != null ? parsed.graph() : graphNameFromFile(file);
    Map<String, List<ScriptedReply>> replies = new LinkedHashMap<>();
    parsed.replies().forEach((node, list) -> replies.put(node, List.copyOf(list == null ? List.of() : list)));
    return new OfflineScript(graph, replies, file.toString());
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
