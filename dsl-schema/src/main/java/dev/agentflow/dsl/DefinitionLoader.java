package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.internal.DefinitionPipeline;
import dev.agentflow.dsl.internal.Origin;
import dev.agentflow.dsl.internal.SourceMap;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;

/**
 * Turns a definition (YAML or JSON) into a {@link LoadedDefinition}, or rejects it with every
 * problem found and where each one is.
 *
 * <p>Phases, each reporting everything it finds: read (syntax, duplicate keys), schema ({@code
 * agent-graph.schema.json}), then — only for a schema-valid document, since they rely on its shape —
 * bind to the records (resolving child graphs, each validated like a definition of its own) and
 * check the graph, the names of models and tools, budgets, and every expression and template.
 *
 * <p>Reading is bounded by {@link ReadLimits}: a file larger than the size cap is refused before
 * it is parsed, and nesting or expressions deeper than the limits are problems at their
 * line:column, so no input makes loading hang, exhaust memory or overflow the stack; the only
 * exception it throws for a bad input is {@link DefinitionException}.
 *
 * <p>Child graphs given by {@code path:} are read only by {@link #load(Path)}, relative to the
 * file, and pinned into the canonical JSON; text loaded with {@link #load(String, String)} must
 * carry them pinned already. So that method does no I/O and is deterministic, and the engine may
 * call it inside workflow code. Instances are immutable and thread-safe.
 */
public final class DefinitionLoader {

  private final DefinitionPipeline pipeline;

  /**
   * @param knownTools names of the registered tools; a definition naming any other tool is rejected
   */
  public DefinitionLoader(Set<String> knownTools) {
    this(knownTools, ReadLimits.DEFAULTS);
  }

  /**
   * @param knownTools names of the registered tools; a definition naming any other tool is rejected
   * @param limits size, nesting and expression-depth bounds for what this loader reads
   */
  public DefinitionLoader(Set<String> knownTools, ReadLimits limits) {
    this.pipeline = new DefinitionPipeline(Optional.of(Set.copyOf(knownTools)), limits);
  }

  private DefinitionLoader(ReadLimits limits) {
    this.pipeline = new DefinitionPipeline(Optional.empty(), limits);
  }

  /** A loader that accepts any tool name (for editors and checks without a tool registry). */
  public static DefinitionLoader withoutToolCheck() {
    return new DefinitionLoader(ReadLimits.DEFAULTS);
  }

  /** Like {@link #withoutToolCheck()}, within other read limits. */
  public static DefinitionLoader withoutToolCheck(ReadLimits limits) {
    return new DefinitionLoader(limits);
  }

  /**
   * Reads and loads a file, and every file its {@code path:} child graphs name (relative to it);
   * problems name the file they are in, as given.
   */
  public LoadedDefinition load(Path file) {
    return pipeline.loadFile(file, Origin.text(), false);
  }

  /**
   * Loads YAML or JSON text. Reads no files: a {@code path:} child graph must be pinned.
   *
   * @param sourceName how problems name the text (a path, or e.g. "&lt;stdin&gt;"); a name ending in
   *     .json, or text starting with '{', is read as JSON
   */
  public LoadedDefinition load(String text, String sourceName) {
    return pipeline.loadText(text, sourceName, Origin.text());
  }

  /** Loads an already parsed definition; problems carry JSON pointers but no line:column. */
  public LoadedDefinition load(JsonNode json, String sourceName) {
    return pipeline.loadParsedTree(json, sourceName, Origin.text());
  }

  /**
   * Binds YAML or JSON text that one of the {@code load} methods accepted before, without checking
   * it again: no schema, no expression parsing, no semantic checks, no file reads. For a run's
   * later workflow tasks and replays, which must bind the definition the run started with the same
   * way whatever later versions of the checks (or of their libraries) say about it. Text that was
   * never validated may bind to a graph that fails at run time, or fail here with a {@link
   * DefinitionException}.
   */
  public static LoadedDefinition bindValidated(String text, String sourceName) {
    return DefinitionPipeline.bindOnly().bindText(text, sourceName);
  }

  /** Like {@link #bindValidated(String, String)}, for an already parsed definition. */
  public static LoadedDefinition bindValidated(JsonNode json, String sourceName) {
    return DefinitionPipeline.bindOnly().loadTree(json, sourceName, SourceMap.empty(), Origin.text());
  }
}
