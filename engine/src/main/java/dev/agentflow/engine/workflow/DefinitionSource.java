package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import io.temporal.failure.ApplicationFailure;
import java.util.List;

/**
 * Turns the definition a run was started with (YAML/JSON text or a JSON object) into a validated
 * graph inside workflow code. Loading is a pure function of the text, so it replays identically.
 * Tool names are not checked here (the worker's registry is configuration, not history); an
 * unknown tool fails its activity instead.
 */
final class DefinitionSource {

  private static final DefinitionLoader LOADER = DefinitionLoader.withoutToolCheck();

  private DefinitionSource() {}

  static LoadedDefinition load(JsonNode definition, String sourceName) {
    if (definition == null || definition.isNull() || definition.isMissingNode()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the run request has no 'definition' (YAML text or a JSON object)", FailureTypes.INVALID_DEFINITION);
    }
    try {
      return definition.isTextual()
          ? LOADER.load(definition.asText(), sourceName)
          : LOADER.load(definition, sourceName);
    } catch (DefinitionException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the definition is invalid:\n" + e.getMessage(), FailureTypes.INVALID_DEFINITION);
    }
  }

  static List<Problem> checkInput(GraphDefinition graph, JsonNode input) {
    return InputValidator.forGraph(graph).validate(input);
  }
}
