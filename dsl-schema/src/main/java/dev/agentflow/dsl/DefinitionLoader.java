package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.internal.CanonicalJson;
import dev.agentflow.dsl.internal.DocumentReader;
import dev.agentflow.dsl.internal.ExpressionChecks;
import dev.agentflow.dsl.internal.GraphBinder;
import dev.agentflow.dsl.internal.GraphChecks;
import dev.agentflow.dsl.internal.NameChecks;
import dev.agentflow.dsl.internal.ParsedDocument;
import dev.agentflow.dsl.internal.ProblemCollector;
import dev.agentflow.dsl.internal.SchemaChecks;
import dev.agentflow.dsl.internal.SchemaProblems;
import dev.agentflow.dsl.internal.Schemas;
import dev.agentflow.dsl.internal.SourceMap;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a definition (YAML or JSON) into a {@link LoadedDefinition}, or rejects it with every
 * problem found and where each one is.
 *
 * <p>Phases, each reporting everything it finds: read (syntax, duplicate keys), schema ({@code
 * agent-graph.schema.json}), then — only for a schema-valid document, since they rely on its shape —
 * bind to the records and check the graph, the names of models and tools, and every expression and
 * template.
 *
 * <p>Deterministic and free of I/O apart from {@link #load(Path)} reading its file, so the engine
 * may call {@link #load(String, String)} inside workflow code. Instances are immutable and
 * thread-safe.
 */
public final class DefinitionLoader {

  private static final Comparator<Problem> BY_POSITION =
      Comparator.comparingInt(Problem::line).thenComparingInt(Problem::column);

  private final Optional<Set<String>> knownTools;

  /**
   * @param knownTools names of the registered tools; a definition naming any other tool is rejected
   */
  public DefinitionLoader(Set<String> knownTools) {
    this.knownTools = Optional.of(Set.copyOf(knownTools));
  }

  private DefinitionLoader() {
    this.knownTools = Optional.empty();
  }

  /** A loader that accepts any tool name (for editors and checks without a tool registry). */
  public static DefinitionLoader withoutToolCheck() {
    return new DefinitionLoader();
  }

  /** Reads and loads a file; problems name the file as given. */
  public LoadedDefinition load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new DefinitionException(List.of(
          new Problem(file.toString(), 0, 0, "", "cannot read the file: " + e)));
    }
    return load(text, file.toString());
  }

  /**
   * Loads YAML or JSON text.
   *
   * @param sourceName how problems name the text (a path, or e.g. "&lt;stdin&gt;"); a name ending in
   *     .json, or text starting with '{', is read as JSON
   */
  public LoadedDefinition load(String text, String sourceName) {
    ParsedDocument document = DocumentReader.read(text, sourceName);
    if (!document.problems().isEmpty()) {
      throw rejected(document.problems());
    }
    return load(document.root(), sourceName, document.sourceMap());
  }

  /** Loads an already parsed definition; problems carry JSON pointers but no line:column. */
  public LoadedDefinition load(JsonNode json, String sourceName) {
    return load(json, sourceName, SourceMap.empty());
  }

  private LoadedDefinition load(JsonNode json, String sourceName, SourceMap sourceMap) {
    List<Problem> schemaProblems =
        new SchemaProblems(sourceName, sourceMap).toProblems(Schemas.agentGraph().validate(json));
    if (!schemaProblems.isEmpty()) {
      throw rejected(schemaProblems);
    }
    GraphDefinition graph = GraphBinder.bind(json);
    ProblemCollector problems = new ProblemCollector(sourceName, sourceMap);
    GraphChecks.check(graph, problems);
    NameChecks.check(graph, knownTools, problems);
    SchemaChecks.check(graph, problems);
    ExpressionChecks.check(graph, problems);
    if (!problems.isEmpty()) {
      throw rejected(problems.problems());
    }
    String canonical = CanonicalJson.of(json);
    return new LoadedDefinition(graph, canonical, CanonicalJson.sha256(canonical));
  }

  private static DefinitionException rejected(List<Problem> problems) {
    return new DefinitionException(problems.stream().sorted(BY_POSITION).toList());
  }
}
