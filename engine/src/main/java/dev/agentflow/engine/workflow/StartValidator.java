package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.GraphDefinition;

/**
 * The checks a run passes once, when it starts: its definition (schema, graph, names, expressions,
 * budgets) and its input (the definition's input schema). They run inside a {@code
 * Workflow.sideEffect}, so their verdict is recorded and a replay never runs them again: a stricter
 * check (or a library upgrade) after a run started never breaks that run. {@link #STANDARD} is what
 * every worker uses; a worker may install a stricter one ({@code new AgentGraphWorkflowImpl(…)}).
 */
public interface StartValidator {

  /** The standard checks: {@code DefinitionLoader} without a tool check, and the input schema. */
  StartValidator STANDARD = new StartValidator() {
    @Override
    public StartVerdict checkDefinition(JsonNode definition, JsonNode input, String sourceName) {
      return DefinitionSource.check(definition, input, sourceName);
    }

    @Override
    public StartVerdict checkInput(GraphDefinition graph, JsonNode input) {
      return DefinitionSource.checkInput(graph, input);
    }
  };

  /** For a run a client started: the definition as submitted, and the input against it. */
  StartVerdict checkDefinition(JsonNode definition, JsonNode input, String sourceName);

  /**
   * For a child run: its definition is part of its parent's, validated when the parent started,
   * so only the input the parent computed for it is checked.
   */
  StartVerdict checkInput(GraphDefinition graph, JsonNode input);
}
