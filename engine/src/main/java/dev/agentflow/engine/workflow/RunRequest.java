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
 * @param resumeRef the same checkpoint in the blob store, when it was too large to carry by value
 *     (above {@link LargeOutputs#THRESHOLD_BYTES}); null otherwise
 */
public record RunRequest(JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume, String resumeRef) {

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options) {
    this(definition, input, options, null, null);
  }

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume) {
    this(definition, input, options, resume, null);
  }
}
