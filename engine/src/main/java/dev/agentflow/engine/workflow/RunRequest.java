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
 * @param graph instead of {@code definition}: a registry reference ({@code NAME@ALIAS}, {@code
 *     NAME:VERSION} or {@code NAME} for the latest), resolved once when the run starts ({@link
 *     GraphResolution}); null when the definition is given
 */
public record RunRequest(
    JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume, String resumeRef, String continuedFrom,
    String graph) {

  public RunRequest(
      JsonNode definition, JsonNode input, RunOptions options, Checkpoint resume, String resumeRef, String continuedFrom) {
    this(definition, input, options, resume, resumeRef, continuedFrom, null);
  }

  /** A new run of a registered graph: {@code NAME@ALIAS}, {@code NAME:VERSION} or {@code NAME}. */
  public static RunRequest byReference(String graph, JsonNode input, RunOptions options) {
    return new RunRequest(null, input, options, null, null, null, graph);
  }

  /** This request with the definition its reference resolved to (and no reference). */
  RunRequest resolvedTo(JsonNode resolved, RunOptions resolvedOptions) {
    return new RunRequest(resolved, input, resolvedOptions, resume, resumeRef, continuedFrom, null);
  }

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
