package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;

/** Turns JSON pointers and values into the words problem messages use. */
public final class PointerText {

  private static final int MAX_VALUE_LENGTH = 60;

  private PointerText() {}

  /** {@code /nodes/plan/routes/1/to} as {@code nodes.plan.routes[1].to}; "the definition" for "". */
  public static String field(String pointer) {
    if (pointer.isEmpty()) {
      return "the definition";
    }
    StringBuilder text = new StringBuilder();
    for (String segment : segments(pointer)) {
      if (segment.chars().allMatch(Character::isDigit) && !segment.isEmpty() && text.length() > 0) {
        text.append('[').append(segment).append(']');
      } else {
        if (text.length() > 0) {
          text.append('.');
        }
        text.append(name(segment));
      }
    }
    return text.toString();
  }

  /**
   * What the object at {@code pointer} is, for "… in node 'plan'": a node, model or tool settings
   * entry when it is one, otherwise its field path.
   */
  public static String owner(String pointer) {
    if (pointer.isEmpty()) {
      return "the definition";
    }
    String[] segments = segments(pointer);
    if (segments.length == 2) {
      switch (segments[0]) {
        case "nodes":
          return "node '" + name(segments[1]) + "'";
        case "models":
          return "model '" + name(segments[1]) + "'";
        case "tools":
          return "tool settings '" + name(segments[1]) + "'";
        default:
          break;
      }
    }
    return field(pointer);
  }

  /** A name or key as a message quotes it: shortened past 60 characters, so a huge key stays a short message. */
  public static String name(String name) {
    if (name == null) {
      return "";
    }
    return name.length() <= MAX_VALUE_LENGTH ? name : name.substring(0, MAX_VALUE_LENGTH) + "…";
  }

  /** A short rendering of a value: strings quoted and shortened, containers by their type. */
  public static String value(JsonNode value) {
    if (value == null || value.isMissingNode()) {
      return "nothing";
    }
    if (value.isTextual()) {
      String text = value.textValue();
      if (text.length() > MAX_VALUE_LENGTH) {
        text = text.substring(0, MAX_VALUE_LENGTH) + "…";
      }
      return "'" + text.replace("\n", "\\n") + "'";
    }
    if (value.isObject()) {
      return "an object";
    }
    if (value.isArray()) {
      return "an array";
    }
    return value.toString();
  }

  /** The JSON type name of a value as JSON Schema says it: string, integer, number, …. */
  public static String type(JsonNode value) {
    if (value == null || value.isNull()) {
      return "null";
    }
    if (value.isTextual()) {
      return "string";
    }
    if (value.isIntegralNumber()) {
      return "integer";
    }
    if (value.isNumber()) {
      return "number";
    }
    if (value.isBoolean()) {
      return "boolean";
    }
    return value.isArray() ? "array" : "object";
  }

  /** "an integer", "a string". */
  public static String withArticle(String noun) {
    return ("aeiou".indexOf(noun.isEmpty() ? 'x' : noun.charAt(0)) >= 0 ? "an " : "a ") + noun;
  }

  private static String[] segments(String pointer) {
    String[] raw = pointer.substring(1).split("/", -1);
    for (int i = 0; i < raw.length; i++) {
      raw[i] = raw[i].replace("~1", "/").replace("~0", "~");
    }
    return raw;
  }
}
