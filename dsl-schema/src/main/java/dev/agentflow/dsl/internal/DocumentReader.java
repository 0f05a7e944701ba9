package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentflow.dsl.Problem;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * Reads YAML or JSON text into a tree in one streaming pass, recording the position of every value
 * and key in a {@link SourceMap}.
 *
 * <p>Building the tree here rather than with an {@code ObjectMapper} is what lets a duplicate key be
 * reported with both positions, alongside every other duplicate, instead of aborting the read at the
 * first one. A syntax error does abort: nothing after it can be trusted.
 */
public final class DocumentReader {

  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final YAMLFactory YAML = YAMLFactory.builder().build();
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String sourceName;
  private final SourceMap sourceMap;
  private final List<Problem> problems = new ArrayList<>();

  private DocumentReader(String text, String sourceName) {
    this.sourceName = sourceName;
    this.sourceMap = new SourceMap(text);
  }

  /** Reads {@code text}; JSON when the source name ends in .json or the text starts with '{'. */
  public static ParsedDocument read(String text, String sourceName) {
    DocumentReader reader = new DocumentReader(text, sourceName);
    JsonNode root = reader.readDocument(text, isJson(text, sourceName) ? JSON : YAML);
    return new ParsedDocument(root, reader.sourceMap, reader.problems);
  }

  static boolean isJson(String text, String sourceName) {
    String name = sourceName.toLowerCase(java.util.Locale.ROOT);
    if (name.endsWith(".json")) {
      return true;
    }
    if (name.endsWith(".yaml") || name.endsWith(".yml")) {
      return false;
    }
    return text.stripLeading().startsWith("{");
  }

  private JsonNode readDocument(String text, JsonFactory factory) {
    try (JsonParser parser = factory.createParser(text)) {
      JsonToken first = parser.nextToken();
      if (first == null) {
        problems.add(problem(new SourcePosition(1, 1), "the definition is empty"));
        return null;
      }
      JsonNode root = readValue(parser, "", true);
      if (parser.nextToken() != null) {
        problems.add(problem(position(parser.currentTokenLocation()),
            "unexpected content after the definition (only one document is allowed)"));
      }
      return root;
    } catch (JsonProcessingException e) {
      problems.add(syntaxProblem(e));
      return null;
    } catch (IOException e) {
      problems.add(problem(SourcePosition.UNKNOWN, "cannot read the definition: " + e.getMessage()));
      return null;
    }
  }

  /** Reads the value whose first token is the parser's current token. */
  private JsonNode readValue(JsonParser parser, String pointer, boolean record) throws IOException {
    if (record) {
      sourceMap.recordValue(pointer, position(parser.currentTokenLocation()));
    }
    JsonToken token = parser.currentToken();
    switch (token) {
      case START_OBJECT:
        return readObject(parser, pointer, record);
      case START_ARRAY:
        ArrayNode array = NODES.arrayNode();
        while (parser.nextToken() != JsonToken.END_ARRAY) {
          array.add(readValue(parser, JsonPointers.child(pointer, array.size()), record));
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
        return NODES.numberNode(parser.getDoubleValue());
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

  private ObjectNode readObject(JsonParser parser, String pointer, boolean record)
      throws IOException {
    ObjectNode object = NODES.objectNode();
    while (parser.nextToken() == JsonToken.FIELD_NAME) {
      String key = parser.currentName();
      String child = JsonPointers.child(pointer, key);
      SourcePosition keyPosition = position(parser.currentTokenLocation());
      parser.nextToken();
      if (object.has(key)) {
        SourcePosition first = sourceMap.keyAt(child);
        problems.add(new Problem(sourceName, keyPosition.line(), keyPosition.column(), child,
            "duplicate key '" + key + "'"
                + (first.isKnown() ? " (first defined at line " + first.line() + ")" : "")));
        readValue(parser, child, false);
        continue;
      }
      if (record) {
        sourceMap.recordKey(child, keyPosition);
      }
      object.set(key, readValue(parser, child, record));
    }
    return object;
  }

  private Problem syntaxProblem(JsonProcessingException e) {
    if (e.getCause() instanceof MarkedYAMLException yaml && yaml.getProblemMark() != null) {
      Mark mark = yaml.getProblemMark();
      String problem = yaml.getProblem() == null ? "invalid YAML" : yaml.getProblem();
      String context = yaml.getContext() == null ? "" : " " + yaml.getContext();
      return problem(new SourcePosition(mark.getLine() + 1, mark.getColumn() + 1),
          "YAML syntax error: " + problem + context);
    }
    String message = e.getOriginalMessage() == null ? "syntax error" : e.getOriginalMessage();
    return problem(position(e.getLocation()), "syntax error: " + message.lines().findFirst().orElse(""));
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
