package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a run is started with. The definition travels with the run, so the run is pinned to it:
 * editing the YAML file later never changes a running workflow.
 *
 * @param definition the definition as YAML or JSON text (a JSON string), or as a JSON object
 * @param input the run's input; checked against the definition's input schema
 * @param options run options; may be null
 * @param resume where a run that continued as new picks up; null for a new run (clients never set it)
 */
public record RunRequest(JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume) {

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options) {
    this(definition, input, options, null);
  }
}
