package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.internal.DocumentReader;
import dev.agentflow.dsl.internal.ParsedDocument;
import dev.agentflow.dsl.internal.SourceFiles;
import dev.agentflow.dsl.internal.SourceMap;
import dev.agentflow.dsl.internal.SourcePosition;
import dev.agentflow.dsl.internal.SourceText;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A YAML or JSON document that is not a definition (an offline script, a run input, an expected
 * output) read exactly as definitions are read: within {@link ReadLimits}, duplicate keys and YAML
 * anchors rejected, syntax and encoding problems at their line:column. It remembers where each
 * value is written, so a problem found later by pointer (a schema violation of an input, an
 * unknown node in a script) can still say file:line:column.
 */
public final class LocatedDocument {

  private final String source;
  private final JsonNode root;
  private final SourceMap sourceMap;

  private LocatedDocument(String source, JsonNode root, SourceMap sourceMap) {
    this.source = source;
    this.root = root;
    this.sourceMap = sourceMap;
  }

  /**
   * Reads a file (YAML, or JSON for a {@code .json} name).
   *
   * @throws DefinitionException with every problem of the file when it cannot be read
   */
  public static LocatedDocument read(Path file, ReadLimits limits) {
    SourceText text = SourceFiles.read(file, limits);
    if (!text.problems().isEmpty()) {
      throw new DefinitionException(text.problems());
    }
    return parsed(DocumentReader.read(text.text(), file.toString(), limits), file.toString());
  }

  /**
   * Reads a file as strict JSON whatever its name (one value, nothing after it).
   *
   * @throws DefinitionException with every problem of the file when it cannot be read
   */
  public static LocatedDocument readJson(Path file, ReadLimits limits) {
    SourceText text = SourceFiles.read(file, limits);
    if (!text.problems().isEmpty()) {
      throw new DefinitionException(text.problems());
    }
    return parsed(DocumentReader.readJson(text.text(), file.toString(), limits), file.toString());
  }

  /**
   * Parses text as strict JSON (one value, nothing after it), e.g. a run input given on the
   * command line.
   *
   * @throws DefinitionException with the problem and where it is
   */
  public static LocatedDocument parseJson(String text, String sourceName, ReadLimits limits) {
    SourceText checked = SourceText.ofText(text, sourceName, limits);
    if (!checked.problems().isEmpty()) {
      throw new DefinitionException(checked.problems());
    }
    return parsed(DocumentReader.readJson(text, sourceName, limits), sourceName);
  }

  private static LocatedDocument parsed(ParsedDocument document, String source) {
    if (!document.problems().isEmpty()) {
      throw new DefinitionException(document.problems());
    }
    return new LocatedDocument(source, document.root(), document.sourceMap());
  }

  /** The file name or source name problems carry. */
  public String source() {
    return source;
  }

  /** The document's value. */
  public JsonNode root() {
    return root;
  }

  /** A problem with the value at {@code pointer}, at the line:column where that value is written. */
  public Problem problemAt(String pointer, String message) {
    SourcePosition position = sourceMap.valueAt(pointer);
    return new Problem(source, position.line(), position.column(), pointer, message);
  }

  /** A problem with the entry at {@code pointer}, at its key (its value for array items). */
  public Problem problemAtKey(String pointer, String message) {
    SourcePosition position = sourceMap.keyAt(pointer);
    return new Problem(source, position.line(), position.column(), pointer, message);
  }

  /**
   * The same problems named after this document and placed at the line:column of their pointer
   * (e.g. the {@code <input>} problems of {@link InputValidator}).
   */
  public List<Problem> locate(List<Problem> problems) {
    List<Problem> located = new ArrayList<>();
    for (Problem problem : problems) {
      located.add(problemAt(problem.pointer(), problem.message()));
    }
    return located;
  }
}
