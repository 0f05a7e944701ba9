package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.tools.ToolException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The two path forms {@code json_query} accepts, compiled to a list of steps.
 *
 * <ul>
 *   <li>A JSON Pointer (RFC 6901): {@code ""} (the whole value) or {@code /items/0/name}, with
 *       {@code ~0} for {@code ~} and {@code ~1} for {@code /}.
 *   <li>A dot/bracket path: {@code $}, then any of {@code .name}, {@code ['name']},
 *       {@code ["name"]} and {@code [0]}; e.g. {@code $.items[0].name}. No wildcards, filters or
 *       recursive descent: one path selects at most one value.
 * </ul>
 *
 * <p>Unlike a JSON Pointer, a dot/bracket step is typed: {@code [0]} only indexes arrays and
 * {@code .name} only reads objects.
 */
final class JsonPath {

  /** One step: a property name, or an array index when {@code name} is null. */
  private record Step(String name, int index) {}

  private final JsonPointer pointer;
  private final List<Step> steps;

  private JsonPath(JsonPointer pointer, List<Step> steps) {
    this.pointer = pointer;
    this.steps = steps;
  }

  static JsonPath compile(String path) throws ToolException {
    if (path.isEmpty() || path.startsWith("/")) {
      try {
        return new JsonPath(JsonPointer.compile(path), null);
      } catch (IllegalArgumentException e) {
        throw ToolException.invalidArguments("path is not a valid JSON Pointer: " + e.getMessage());
      }
    }
    if (path.startsWith("$")) {
      return new JsonPath(null, new DotBracketParser(path).parse());
    }
    throw ToolException.invalidArguments(
        "path must be a JSON Pointer ('/items/0/name') or start with '$' ('$.items[0].name'), got '" + path + "'");
  }

  /** The selected value, or empty when the path leads nowhere. */
  Optional<JsonNode> select(JsonNode root) {
    if (pointer != null) {
      JsonNode found = root.at(pointer);
      return found.isMissingNode() ? Optional.empty() : Optional.of(found);
    }
    JsonNode current = root;
    for (Step step : steps) {
      if (step.name() != null) {
        current = current.isObject() ? current.get(step.name()) : null;
      } else {
        current = current.isArray() ? current.get(step.index()) : null;
      }
      if (current == null) {
        return Optional.empty();
      }
    }
    return Optional.of(current);
  }

  /** Parses {@code $.a['b'][0]} into steps; errors name the 1-based position. */
  private static final class DotBracketParser {

    private final String path;
    private int pos = 1; // after '$'

    DotBracketParser(String path) {
      this.path = path;
    }

    List<Step> parse() throws ToolException {
      List<Step> steps = new ArrayList<>();
      while (pos < path.length()) {
        char c = path.charAt(pos);
        if (c == '.') {
          pos++;
          steps.add(new Step(name(), -1));
        } else if (c == '[') {
          pos++;
          steps.add(bracket());
        } else {
          throw error("expected '.' or '['");
        }
      }
      return steps;
    }

    private String name() throws ToolException {
      int start = pos;
      while (pos < path.length() && path.charAt(pos) != '.' && path.charAt(pos) != '[') {
        pos++;
      }
      if (pos == start) {
        throw error("expected a property name");
      }
      return path.substring(start, pos);
    }

    private Step bracket() throws ToolException {
      if (pos >= path.length()) {
        throw error("path ends inside '['");
      }
      char c = path.charAt(pos);
      Step step;
      if (c == '\'' || c == '"') {
        int close = path.indexOf(c, pos + 1);
        if (close < 0) {
          throw error("unclosed quote");
        }
        step = new Step(path.substring(pos + 1, close), -1);
        pos = close + 1;
      } else {
        int start = pos;
        while (pos < path.length() && Character.isDigit(path.charAt(pos))) {
          pos++;
        }
        if (pos == start || pos - start > 9) {
          throw errorAt(start, "expected an array index (0, 1, …) or a quoted name");
        }
        step = new Step(null, Integer.parseInt(path.substring(start, pos)));
      }
      if (pos >= path.length() || path.charAt(pos) != ']') {
        throw error("expected ']'");
      }
      pos++;
      return step;
    }

    private ToolException error(String message) {
      return errorAt(pos, message);
    }

    private ToolException errorAt(int index, String message) {
      return ToolException.invalidArguments(
          "invalid path '" + path + "': " + message + " at position " + (index + 1));
    }
  }
}
