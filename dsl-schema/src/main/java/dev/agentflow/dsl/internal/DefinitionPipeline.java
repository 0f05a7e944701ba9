package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The phases of loading one definition (read, schema, bind with its child graphs, semantic
 * checks, canonical form), shared by a definition and each child graph it holds so that a child is
 * validated exactly like a definition of its own.
 *
 * <p>A {@link #bindOnly()} pipeline skips every check (schema, semantics, expression parsing) and
 * only binds: for a definition that was validated when its run started, so that the run's later
 * workflow tasks and replays never depend on what today's validator (or its libraries) accepts.
 */
public final class DefinitionPipeline {

  private final Optional<Set<String>> knownTools;
  private final ReadLimits limits;
  private final boolean validating;

  public DefinitionPipeline(Optional<Set<String>> knownTools, ReadLimits limits) {
    this(knownTools, limits, true);
  }

  private DefinitionPipeline(Optional<Set<String>> knownTools, ReadLimits limits, boolean validating) {
    this.knownTools = knownTools;
    this.limits = limits;
    this.validating = validating;
  }

  /** A pipeline that binds without checking anything; its child graphs are bound the same way. */
  public static DefinitionPipeline bindOnly() {
    return new DefinitionPipeline(Optional.empty(), ReadLimits.DEFAULTS, false);
  }

  /**
   * Binds text that passed validation before: parsed as plain YAML or JSON (no positions, no
   * duplicate-key or size checks), then {@link #loadTree} without checks. Only for a bind-only
   * pipeline.
   */
  public LoadedDefinition bindText(String text, String sourceName) {
    if (validating) {
      throw new IllegalStateException("bindText is for bind-only pipelines");
    }
    return loadTree(PinnedText.parse(text, sourceName), sourceName, SourceMap.empty(), Origin.text());
  }

  /** Reads and loads a file below {@code above}; problems name the file as given. */
  public LoadedDefinition loadFile(Path file, Origin above, boolean costLimited) {
    SourceText source = SourceFiles.read(file, limits);
    if (!source.problems().isEmpty()) {
      throw new DefinitionException(source.problems());
    }
    return parseAndLoad(source.text(), file.toString(), above.file(file, costLimited));
  }

  public LoadedDefinition loadText(String text, String sourceName, Origin origin) {
    SourceText source = SourceText.ofText(text, sourceName, limits);
    if (!source.problems().isEmpty()) {
      throw new DefinitionException(source.problems());
    }
    return parseAndLoad(text, sourceName, origin);
  }

  private LoadedDefinition parseAndLoad(String text, String sourceName, Origin origin) {
    ParsedDocument document = DocumentReader.read(text, sourceName, limits);
    if (!document.problems().isEmpty()) {
      throw rejected(document.problems(), sourceName);
    }
    return loadTree(document.root(), sourceName, document.sourceMap(), origin);
  }

  /** Loads a tree that did not come from text (a run's JSON object): its depth is checked here. */
  public LoadedDefinition loadParsedTree(JsonNode json, String sourceName, Origin origin) {
    Optional<String> tooDeep = TreeDepth.deeperThan(json, limits.maxDepth());
    if (tooDeep.isPresent()) {
      throw new DefinitionException(List.of(new Problem(sourceName, 0, 0, tooDeep.get(),
          "nested more than " + limits.maxDepth() + " levels deep (mappings and sequences inside each other)")));
    }
    Optional<String> notFinite = TreeDepth.firstNonFiniteNumber(json);
    if (notFinite.isPresent()) {
      throw new DefinitionException(List.of(new Problem(sourceName, 0, 0, notFinite.get(),
          "the number is out of range (larger than a 64-bit floating-point number)")));
    }
    return loadTree(json, sourceName, SourceMap.empty(), origin);
  }

  public LoadedDefinition loadTree(JsonNode json, String sourceName, SourceMap sourceMap,
      Origin origin) {
    if (validating) {
      List<Problem> schemaProblems =
          new SchemaProblems(sourceName, sourceMap).toProblems(Schemas.agentGraph().validate(json));
      if (!schemaProblems.isEmpty()) {
        throw rejected(schemaProblems, sourceName);
      }
    }
    // bound from a copy, because resolving a path graph pins the child into the document
    ObjectNode document = json.deepCopy();
    ProblemCollector problems = new ProblemCollector(sourceName, sourceMap);
    EgressChecks.underParent(document, origin.parentEgress(), problems);
    boolean costLimited = origin.costLimitedByParent() || ChildGraphs.limitsCost(document);
    ChildGraphs children = new ChildGraphs(this, document, sourceName, sourceMap, origin, costLimited);
    GraphDefinition graph = GraphBinder.bind(document, children);
    if (validating) {
      GraphChecks.check(graph, problems);
      NameChecks.check(graph, knownTools, problems);
      SchemaChecks.check(graph, problems);
      EgressChecks.check(graph, problems);
      ExpressionChecks.check(graph, limits, problems);
      BudgetChecks.check(graph, origin.costLimitedByParent(), problems);
      FanOutChecks.check(graph, problems);
    }
    problems.addAll(children.problems());
    if (!problems.isEmpty()) {
      throw rejected(problems.problems(), sourceName);
    }
    String canonical = CanonicalJson.of(document);
    return new LoadedDefinition(graph, canonical, CanonicalJson.sha256(canonical));
  }

  /** The problems in position order; those of other files (path children) after this file's. */
  private static DefinitionException rejected(List<Problem> problems, String sourceName) {
    Comparator<Problem> order = Comparator
        .<Problem, String>comparing(p -> p.file().equals(sourceName) ? "" : p.file())
        .thenComparingInt(Problem::line)
        .thenComparingInt(Problem::column);
    return new DefinitionException(problems.stream().sorted(order).toList());
  }
}
