package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.Problem;
import dev.agentflow.tools.Tool;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Checks on arguments a model wrote, before the tool runs: they must match the tool's own JSON
 * schema ({@link Tool#parametersSchema()}). (They may not contain a secret reference either:
 * {@link dev.agentflow.engine.secret.SecretReferences}.) Each tool's schema is compiled once.
 */
final class ToolArguments {

  private final Map<String, InputValidator> validators = new ConcurrentHashMap<>();

  /** Every way the arguments fail the tool's schema, as {@code /pointer: message}; empty when they match. */
  List<String> schemaProblems(Tool tool, JsonNode arguments) {
    InputValidator validator = validators.computeIfAbsent(tool.name(), name -> InputValidator.forSchema(tool.parametersSchema()));
    return validator.validate(arguments).stream().map(ToolArguments::describe).toList();
  }

  private static String describe(Problem problem) {
    return (problem.pointer().isEmpty() ? "/" : problem.pointer()) + ": " + problem.message();
  }
}
