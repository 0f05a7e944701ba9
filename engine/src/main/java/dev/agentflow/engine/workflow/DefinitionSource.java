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
 * Turns the definition a run was started with (YAML/JSON text or a JSON object) into a graph
 * inside workflow code, in two separate steps: {@link #check} validates it (once, when the run
 * starts), {@link #bind} only binds it (every workflow task and replay). Tool names are not checked
 * (the worker's registry is configuration, not history); an unknown tool fails its activity
 * instead.
 */
final class DefinitionSource {

  private static final DefinitionLoader LOADER = DefinitionLoader.withoutToolCheck();

  private DefinitionSource() {}

  /** Loads and validates (warm-up and tests); a run uses {@link #check} then {@link #bind}. */
  static LoadedDefinition load(JsonNode definition, String sourceName) {
    requirePresent(definition);
    try {
      return definition.isTextual()
          ? LOADER.load(definition.asText(), sourceName)
          : LOADER.load(definition, sourceName);
    } catch (DefinitionException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the definition is invalid:\n" + e.getMessage(), FailureTypes.INVALID_DEFINITION);
    }
  }

  /** The standard start checks: every problem of the definition, then of the input. */
  static StartVerdict check(JsonNode definition, JsonNode input, String sourceName) {
    if (definition == null || definition.isNull() || definition.isMissingNode()) {
      return StartVerdict.rejected(FailureTypes.INVALID_DEFINITION, missingDefinition());
    }
    LoadedDefinition loaded;
    try {
      loaded = definition.isTextual()
          ? LOADER.load(definition.asText(), sourceName)
          : LOADER.load(definition, sourceName);
    } catch (DefinitionException e) {
      return StartVerdict.rejected(FailureTypes.INVALID_DEFINITION, "the definition is invalid:\n" + e.getMessage());
    }
    return checkInput(loaded.graph(), input);
  }

  /** The input against the graph's input schema. */
  static StartVerdict checkInput(GraphDefinition graph, JsonNode input) {
    List<Problem> problems = InputValidator.forGraph(graph).validate(input);
    if (problems.isEmpty()) {
      return StartVerdict.VALID;
    }
    return StartVerdict.rejected(
        FailureTypes.INVALID_INPUT,
        "the input does not match the input schema of '" + graph.name() + "':\n"
            + new DefinitionException(problems).getMessage());
  }

  /**
   * Binds a definition that passed {@link #check} when its run started, checking nothing: what
   * later workflow tasks and replays do, so they never depend on today's checks. Runs of the same
   * definition share one binding ({@link SharedBindings}).
   */
  static LoadedDefinition bind(JsonNode definition, String sourceName) {
    requirePresent(definition);
    try {
      return SharedBindings.definition(definition, sourceName, () -> definition.isTextual()
          ? DefinitionLoader.bindValidated(definition.asText(), sourceName)
          : DefinitionLoader.bindValidated(definition, sourceName));
    } catch (RuntimeException e) {
      // Only a definition that was never validated gets here (a replay of a run that failed its checks).
      throw ApplicationFailure.newNonRetryableFailure(
          "the definition cannot be bound:\n" + e.getMessage(), FailureTypes.INVALID_DEFINITION);
    }
  }

  private static void requirePresent(JsonNode definition) {
    if (definition == null || definition.isNull() || definition.isMissingNode()) {
      throw ApplicationFailure.newNonRetryableFailure(missingDefinition(), FailureTypes.INVALID_DEFINITION);
    }
  }

  private static String missingDefinition() {
    return "the run request has no 'definition' (YAML text or a JSON object) and no 'graph' (a registry reference: NAME@ALIAS, NAME:VERSION or NAME)";
  }
}
