package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * How a node finished: with an output to route on normally, with a forced jump (an error or
 * max-iterations route), or by ending the run.
 */
sealed interface NodeOutcome {

  JsonNode output();

  /** Follow the node's {@code set}, {@code next} and {@code routes}. */
  record Completed(JsonNode output) implements NodeOutcome {}

  /** Go to {@code target} (skipping {@code set} and {@code routes}), saying why in the trace. */
  record Jump(JsonNode output, String target, String reason) implements NodeOutcome {}

  /** The run is over; {@code output} is its result. */
  record Finished(JsonNode output) implements NodeOutcome {}
}
