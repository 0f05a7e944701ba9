package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.Problem;
import dev.agentflow.tools.Tool;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks on arguments a model wrote, before the tool runs: they must match the tool's own JSON
 * schema ({@link Tool#parametersSchema()}), and they may not contain a secret reference ({@code
 * {"secret": "env:…"}}), which only a definition's {@code tool} node may use. Each tool's schema is
 * compiled once.
 */
final class ToolArguments {

  private final Map<String, InputValidator> validators = new ConcurrentHashMap<>();

  /** Every way the arguments fail the tool's schema, as {@code /pointer: message}; empty when they match. */
  List<String> schemaProblems(Tool tool, JsonNode arguments) {
    InputValidator validator = validators.computeIfAbsent(tool.name(), name -> InputValidator.forSchema(tool.parametersSchema()));
    return validator.validate(arguments).stream().map(ToolArguments::describe).toList();
  }

  /** The JSON pointer of the first secret reference in the arguments, if there is one. */
  static Optional<String> secretReference(JsonNode value, String pointer) {
    if (value == null) {
      return Optional.empty();
    }
    if (value.isObject()) {
      if (value.has("secret")) {
        return Optional.of(pointer.isEmpty() ? "/" : pointer);
      }
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        Optional<String> found = secretReference(field.getValue(), pointer + "/" + escape(field.getKey()));
        if (found.isPresent()) {
          return found;
        }
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        Optional<String> found = secretReference(value.get(i), pointer + "/" + i);
        if (found.isPresent()) {
          return found;
        }
      }
    }
    return Optional.empty();
  }

  private static String describe(Problem problem) {
    return (problem.pointer().isEmpty() ? "/" : problem.pointer()) + ": " + problem.message();
  }

  private static String escape(String key) {
    return key.replace("~", "~0").replace("/", "~1");
  }
}
