package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * What a run is started with. The definition travels with the run, so the run is pinned to it:
 * editing the YAML file later never changes a running workflow.
 *
 * <p>{@code resume}, {@code resumeRef} and {@code continuedFrom} (and {@link RunOptions#budgetLimit()})
 * are engine-only: only a run that continued as new, or a child run, may carry them; any other
 * client that sets one gets a non-retryable {@link FailureTypes#INVALID_INPUT} (see {@link
 * EngineOnlyFields}).
 *
 * @param definition the definition as YAML or JSON text (a JSON string), or as a JSON object
 * @param input the run's input; checked against the definition's input schema
 * @param options run options; may be null
 * @param resume where a run that continued as new picks up; null for a new run (clients never set it)
 * @param resumeRef the same checkpoint in the blob store, when it was too large to carry by value
 *     (above {@link LargeOutputs#THRESHOLD_BYTES}); null otherwise
 * @param continuedFrom the run id of the run that continued as new into this one, which the server
 *     also records ({@code Workflow.getInfo().getContinuedExecutionRunId()}); null for a new run
 */
public record RunRequest(
    JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume, String resumeRef, String continuedFrom) {

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options) {
    this(definition, input, options, null, null, null);
  }

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume) {
    this(definition, input, options, resume, null, null);
  }

  public RunRequest(JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume, String resumeRef) {
    this(definition, input, options, resume, resumeRef, null);
  }
}
