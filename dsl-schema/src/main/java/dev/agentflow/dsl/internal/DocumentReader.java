package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Reads YAML or JSON text into a tree in one streaming pass, recording the position of every value
 * and key in a {@link SourceMap}.
 *
 * <p>Building the tree here rather than with an {@code ObjectMapper} is what lets a duplicate key be
 * reported with both positions, alongside every other duplicate, instead of aborting the read at the
 * first one. It is also where YAML anchors, aliases and merge keys are rejected at their position
 * (the streaming parser would otherwise turn an alias into the plain string of its name), and where
 * nesting deeper than {@link ReadLimits#maxDepth()} stops the read at the value that goes too deep,
 * before anything downstream recurses into it. A syntax error or a too-deep value aborts: nothing
 * after it can be trusted.
 */
public final class DocumentReader {

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final String NOT_SUPPORTED =
      " are not supported in agentflow files: write the value out where it is used";

  private final String sourceName;
  private final SourceMap sourceMap;
  private final int maxDepth;
  private final List<Problem> problems = new ArrayList<>();

  private DocumentReader(String text, String sourceName, ReadLimits limits) {
    this.sourceName = sourceName;
    this.sourceMap = new SourceMap(text);
    this.maxDepth = limits.maxDepth();
  }

  /** The value nested deeper than the limit; aborts the read. */
  private static final class TooDeep extends RuntimeException {
    private static final long serialVersionUID = 1L;

    TooDeep() {
      super(null, null, false, false);
    }
  }

  /** Reads {@code text}; JSON when the source name ends in .json or the text starts with '{'. */
  public static ParsedDocument read(String text, String sourceName) {
    return read(text, sourceName, ReadLimits.DEFAULTS);
  }

  /** Reads {@code text} within {@code limits}; the size cap is the caller's ({@link SourceText}). */
  public static ParsedDocument read(String text, String sourceName, ReadLimits limits) {
    return read(text, sourceName, limits, isJson(text, sourceName));
  }

  /** Reads {@code text} as strict JSON, whatever its name. */
  public static ParsedDocument readJson(String text, String sourceName, ReadLimits limits) {
    return read(text, sourceName, limits, true);
  }

  private static ParsedDocument read(String text, String sourceName, ReadLimits limits, boolean json) {
    DocumentReader reader = new DocumentReader(text, sourceName, limits);
    JsonNode root = reader.readDocument(text, json ? jsonFactory(limits) : yamlFactory(limits));
    if (!json && root != null) {
      for (YamlAnchors.Anchor anchor : YamlAnchors.find(text, loaderOptions(limits))) {
        reader.problems.add(reader.problem(anchor.position(),
            "YAML anchors (&" + PointerText.name(anchor.name()) + ")" + NOT_SUPPORTED));
      }
    }
    return new ParsedDocument(root, reader.sourceMap, reader.problems);
  }

  /** True for a .json name, or for text starting with '{' when the name is not .yaml/.yml. */
  public static boolean isJson(String text, String sourceName) {
    String name = sourceName.toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".json")) {
      return true;
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return false;
    }
    return text.stripLeading().startsWith("{");
  }

  /** The parsers' own limits sit above ours, so ours are the ones a person meets, with a position. */
  private static StreamReadConstraints constraints(ReadLimits limits) {
    return StreamReadConstraints.builder()
        .maxNestingDepth(limits.maxDepth() + 16)
        .maxStringLength(Math.max(limits.maxBytes(), StreamReadConstraints.DEFAULT_MAX_STRING_LEN))
        .maxNameLength(Math.max(limits.maxBytes(), StreamReadConstraints.DEFAULT_MAX_NAME_LEN))
        .build();
  }

  private static JsonFactory jsonFactory(ReadLimits limits) {
    return JsonMappers.jsonFactoryBuilder().streamReadConstraints(constraints(limits)).build();
  }

  private static LoaderOptions loaderOptions(ReadLimits limits) {
    LoaderOptions options = new LoaderOptions();
    options.setNestingDepthLimit(limits.maxDepth() + 16);
    options.setCodePointLimit(Math.max(limits.maxBytes(), 1024) + 1);
    options.setMaxAliasesForCollections(50);
    options.setAllowRecursiveKeys(false);
    return options;
  }

  private static JsonFactory yamlFactory(ReadLimits limits) {
    return JsonMappers.yamlFactoryBuilder().loaderOptions(loaderOptions(limits))
        .streamReadConstraints(constraints(limits)).build();
  }

  private JsonNode readDocument(String text, JsonFactory factory) {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add(problem(new SourcePosition(1, 1), sourceName.startsWith("<")
            ? "empty: expected a JSON value" : "the file is empty"));
        return null;
      }
      JsonNode root = readValue(parser, "", true, 1);
      if (parser.nextToken() != null) {
        problems.add(problem(position(parser.currentTokenLocation()),
            "unexpected content after the document (only one document is allowed)"));
      }
      return root;
    } catch (TooDeep e) {
      return null;
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(e));
      return null;
    } catch (IOException e) {
      problems.add(problem(SourcePosition.UNKNOWN, "cannot read the text: " + e.getMessage()));
      return null;
    } catch (YAMLException e) {
      // a limit of the YAML library itself, raised outside Jackson's exceptions
      String message = e.getMessage() == null ? "invalid YAML" : e.getMessage().lines().findFirst().orElse("");
      problems.add(problem(new SourcePosition(1, 1), "YAML error: " + message));
      return null;
    }
  }

  /** Reads the value whose first token is the parser's current token. */
  private JsonNode readValue(JsonParser parser, String pointer, boolean record, int depth)
      throws IOException {
    SourcePosition at = position(parser.currentTokenLocation());
    if (record) {
      sourceMap.recordValue(pointer, at);
    }
    checkYamlFeatures(parser, at);
    JsonToken token = parser.currentToken();
    if ((token == JsonToken.START_OBJECT || token == JsonToken.START_ARRAY) && depth > maxDepth) {
      problems.add(problem(at, "nested more than " + maxDepth
          + " levels deep (mappings and sequences inside each other); this is as deep as a file may go"));
      throw new TooDeep();
    }
    switch (token) {
      case START_OBJECT:
        return readObject(parser, pointer, record, depth);
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, JsonPointers.child(pointer, array.size()), record, depth + 1));
        }
        return array;
      case VALUE_STRING:
        return NODES.textNode(parser.getText());
      case VALUE_NUMBER_INT:
        return switch (parser.getNumberType()) {
          case INT -> NODES.numberNode(parser.getIntValue());
          case LONG -> NODES.numberNode(parser.getLongValue());
          default -> NODES.numberNode(parser.getBigIntegerValue());
        };
      case VALUE_NUMBER_FLOAT:
        double number = parser.getDoubleValue();
        if (!Double.isFinite(number)) {
          // validators turn numbers into BigDecimal, which has no infinity
          problems.add(problem(at, "the number " + PointerText.name(parser.getText())
              + " is out of range (larger than a 64-bit floating-point number)"));
          return NODES.nullNode();
        }
        return NODES.numberNode(number);
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        return NODES.textNode(parser.getText());
    }
  }

  private ObjectNode readObject(JsonParser parser, String pointer, boolean record, int depth)
      throws IOException {
    ObjectNode object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String child = JsonPointers.child(pointer, key);
      SourcePosition keyPosition = position(parser.currentTokenLocation());
      boolean mergeKey = "<<".equals(key) && parser instanceof YAMLParser;
      if (mergeKey) {
        problems.add(problem(keyPosition, "YAML merge keys (<<)" + NOT_SUPPORTED));
      }
      parser.nextToken();
      if (mergeKey) {
        if (!((YAMLParser) parser).isCurrentAlias()) {
          readValue(parser, child, false, depth + 1);
        }
        continue;
      }
      if (object.has(key)) {
        SourcePosition first = sourceMap.keyAt(child);
        problems.add(new Problem(sourceName, keyPosition.line(), keyPosition.column(), child,
            "duplicate key '" + PointerText.name(key) + "'"
                + (first.isKnown() ? " (first defined at line " + first.line() + ")" : "")));
        readValue(parser, child, false, depth + 1);
        continue;
      }
      if (record) {
        sourceMap.recordKey(child, keyPosition);
      }
      object.set(key, readValue(parser, child, record, depth + 1));
    }
    return object;
  }

  /** Aliases are rejected where they are written (anchors: {@link YamlAnchors}). */
  private void checkYamlFeatures(JsonParser parser, SourcePosition at) throws IOException {
    if (!(parser instanceof YAMLParser yaml)) {
      return;
    }
    if (yaml.isCurrentAlias()) {
      problems.add(problem(at, "YAML aliases (*" + PointerText.name(parser.getText()) + ")" + NOT_SUPPORTED));
    }
  }

  private Problem syntaxProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      return yamlSyntaxProblem(yaml);
    }
    String message = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
    String first = message.lines().findFirst().orElse("");
    SourcePosition at = position(e.getLocation());
    if (!at.isKnown() && e.getProcessor() instanceof JsonParser parser) {
      at = position(parser.currentLocation()); // a limit of the parser's, thrown without a location
    }
    if (first.contains("end-of-input") && e.getProcessor() instanceof JsonParser parser
        && parser.currentToken() == null && first.contains("closing quote")) {
      SourcePosition start = position(parser.currentTokenLocation());
      if (start.isKnown()) {
        return problem(start, "syntax error: the string that starts here has no closing quote");
      }
    }
    return problem(at, "syntax error: " + first);
  }

  /**
   * At the problem, except when the parser only noticed at the end of the text that something
   * begun earlier (a quoted scalar, a flow collection) never ends: then where it begins.
   */
  private Problem yamlSyntaxProblem(MarkedYAMLException yaml) {
    Mark problemMark = yaml.getProblemMark();
    Mark contextMark = yaml.getContextMark();
    String problem = yaml.getProblem() == null ? "invalid YAML" : yaml.getProblem();
    String context = yaml.getContext() == null ? "" : " " + yaml.getContext();
    if (contextMark != null && problem.contains("end of stream")) {
      return problem(new SourcePosition(contextMark.getLine() + 1, contextMark.getColumn() + 1),
          "YAML syntax error:" + context + " that starts here, " + problem.replace("found ", "")
              + " (at line " + (problemMark.getLine() + 1) + ")");
    }
    return problem(new SourcePosition(problemMark.getLine() + 1, problemMark.getColumn() + 1),
        "YAML syntax error: " + problem + context);
  }

  private Problem problem(SourcePosition position, String message) {
    return new Problem(sourceName, position.line(), position.column(), "", message);
  }

  private static SourcePosition position(JsonLocation location) {
    if (location == null || location.getLineNr() < 1) {
      return SourcePosition.UNKNOWN;
    }
    return new SourcePosition(location.getLineNr(), Math.max(location.getColumnNr(), 1));
  }
}
