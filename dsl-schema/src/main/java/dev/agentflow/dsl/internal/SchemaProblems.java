package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;
import dev.agentflow.dsl.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Turns the validator's messages about a definition into problems a person can act on: the bad
 * value, what was expected, and where (the key for a property problem, the value otherwise).
 *
 * <p>Titles and descriptions in the schema supply the nouns ("node kind", "duration") so messages
 * stay in step with the schema. One typo yields one problem: a missing required property is not
 * reported when an unknown property next to it is a near-miss of its name.
 */
public final class SchemaProblems {

  private final String file;
  private final SourceMap sourceMap;
  private final JsonNode schema = Schemas.agentGraphJson();

  public SchemaProblems(String file, SourceMap sourceMap) {
    this.file = file;
    this.sourceMap = sourceMap;
  }

  public List<Problem> toProblems(List<Error> errors) {
    Set<String> suppressedRequired = nearMissRequired(errors);
    Set<Problem> problems = new LinkedHashSet<>();
    for (Error error : errors) {
      String objectPointer = pointer(error.getInstanceLocation());
      if ("required".equals(error.getKeyword())
          && suppressedRequired.contains(JsonPointers.child(objectPointer, error.getProperty()))) {
        continue;
      }
      problems.add(toProblem(error, objectPointer));
    }
    return new ArrayList<>(problems);
  }

  private Problem toProblem(Error error, String pointer) {
    String keyword = error.getKeyword() == null ? "" : error.getKeyword();
    JsonNode value = error.getInstanceNode();
    String field = PointerText.field(pointer);
    switch (keyword) {
      case "additionalProperties": {
        String property = error.getProperty();
        List<String> allowed = allowedProperties(error);
        return atKey(JsonPointers.child(pointer, property),
            "unknown property '" + PointerText.name(property) + "' in " + PointerText.owner(pointer)
                + Suggestions.hint(property, allowed)
                + (allowed.isEmpty() ? "" : " (allowed: " + String.join(", ", allowed) + ")"));
      }
      case "required":
        return atKey(pointer,
            "missing required property '" + error.getProperty() + "' in "
                + PointerText.owner(pointer));
      case "propertyNames": {
        String property = error.getProperty();
        JsonNode nameSchema = resolve(schemaAt(error).path("propertyNames"));
        return atKey(JsonPointers.child(pointer, property),
            "'" + PointerText.name(property) + "' is not a valid " + text(nameSchema, "title", "name")
                + expected(nameSchema));
      }
      case "enum": {
        JsonNode owner = schemaAt(error);
        String options = streamText(owner.path("enum"));
        return atValue(pointer, PointerText.value(value) + " is not "
            + (owner.has("title") ? PointerText.withArticle(owner.get("title").asText())
                : "allowed for " + field)
            + " (expected one of " + options + ")");
      }
      case "const":
        return atValue(pointer, field + " must be " + PointerText.value(schemaAt(error).path("const"))
            + ", got " + PointerText.value(value));
      case "pattern":
        return atValue(pointer, patternMessage(schemaAt(error), field, value));
      case "type":
        return atValue(pointer, field + " must be " + expectedType(error)
            + ", got " + PointerText.type(value)
            + (value != null && value.isValueNode() && !value.isNull() ? " " + PointerText.value(value) : ""));
      case "minimum":
        return atValue(pointer, field + " must be at least " + argument(error) + ", got " + value);
      case "exclusiveMinimum":
        return atValue(pointer, field + " must be greater than " + argument(error) + ", got " + value);
      case "maxProperties":
        return atValue(pointer, field + " must have at most " + argument(error) + " entry(ies)");
      case "maximum":
        return atValue(pointer, field + " must be at most " + argument(error) + ", got " + value);
      case "minLength":
        return atValue(pointer, field + " must not be empty");
      case "minItems":
        return atValue(pointer, field + " must have at least " + argument(error) + " item(s)");
      case "minProperties":
        return atValue(pointer, field + " must have at least " + argument(error) + " entry(ies)");
      case "uniqueItems":
        return atValue(pointer, field + " must not list the same item twice");
      default:
        return atValue(pointer, field + ": " + error.getMessage());
    }
  }

  private String patternMessage(JsonNode owner, String field, JsonNode value) {
    String title = text(owner, "title", "");
    if (title.startsWith("secret")) {
      // never repeat what may be a real key
      return field + " must be a " + title + " (" + text(owner, "description", "env:NAME")
          + "), not a literal value";
    }
    String noun = title.isEmpty() ? "valid value for " + field : "valid " + title;
    return PointerText.value(value) + " is not a " + noun + expected(owner);
  }

  /** Required properties that an unknown sibling property is a near-miss of: one typo, one problem. */
  private Set<String> nearMissRequired(List<Error> errors) {
    Set<String> suppressed = new LinkedHashSet<>();
    for (Error unknown : errors) {
      if (!"additionalProperties".equals(unknown.getKeyword())) {
        continue;
      }
      String objectPointer = pointer(unknown.getInstanceLocation());
      List<String> missing = new ArrayList<>();
      for (Error required : errors) {
        if ("required".equals(required.getKeyword())
            && objectPointer.equals(pointer(required.getInstanceLocation()))) {
          missing.add(required.getProperty());
        }
      }
      Suggestions.closest(unknown.getProperty(), missing)
          .ifPresent(name -> suppressed.add(JsonPointers.child(objectPointer, name)));
    }
    return suppressed;
  }

  private List<String> allowedProperties(Error error) {
    List<String> names = new ArrayList<>();
    schemaAt(error).path("properties").properties().forEach(entry -> names.add(entry.getKey()));
    return names;
  }

  /** The schema object that holds the failing keyword. */
  private JsonNode schemaAt(Error error) {
    NodePath keyword = error.getSchemaLocation().getFragment();
    NodePath owner = keyword == null ? null : keyword.getParent();
    return owner == null ? schema : schema.at(pointer(owner));
  }

  private JsonNode resolve(JsonNode subschema) {
    String ref = subschema.path("$ref").asText("");
    return ref.startsWith("#") ? schema.at(ref.substring(1)) : subschema;
  }

  private static String expected(JsonNode owner) {
    return owner.has("description") ? " (expected " + owner.get("description").asText() + ")" : "";
  }

  private static String expectedType(Error error) {
    Object[] arguments = error.getArguments();
    String expected = arguments != null && arguments.length > 1 ? String.valueOf(arguments[1]) : "";
    return expected.isEmpty() ? "of another type" : PointerText.withArticle(expected);
  }

  private static String argument(Error error) {
    Object[] arguments = error.getArguments();
    return arguments != null && arguments.length > 0 ? String.valueOf(arguments[0]) : "?";
  }

  private static String text(JsonNode node, String field, String fallback) {
    return node.hasNonNull(field) ? node.get(field).asText() : fallback;
  }

  private static String streamText(JsonNode array) {
    List<String> items = new ArrayList<>();
    array.forEach(item -> items.add(item.asText()));
    return items.stream().collect(Collectors.joining(", "));
  }

  /** A validator path as an RFC 6901 pointer. */
  static String pointer(NodePath path) {
    String pointer = "";
    if (path == null) {
      return pointer;
    }
    for (int i = 0; i < path.getNameCount(); i++) {
      Object element = path.getElement(i);
      pointer = element instanceof Integer index
          ? JsonPointers.child(pointer, index)
          : JsonPointers.child(pointer, String.valueOf(element));
    }
    return pointer;
  }

  private Problem atKey(String pointer, String message) {
    SourcePosition position = sourceMap.keyAt(pointer);
    return new Problem(file, position.line(), position.column(), sourceMap.inText(pointer), message);
  }

  private Problem atValue(String pointer, String message) {
    SourcePosition position = sourceMap.valueAt(pointer);
    return new Problem(file, position.line(), position.column(), sourceMap.inText(pointer), message);
  }
}
