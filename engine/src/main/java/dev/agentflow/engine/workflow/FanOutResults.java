package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.FanOut;
import io.temporal.failure.ApplicationFailure;

/**
 * Turns a fan-out's outcome into the node's outcome: a normal completion, the {@code onTimeout}
 * route with the partial results, a budget's {@code onExceed} route with {@code {budget, results}},
 * or a failure that says how many branches did what.
 */
final class FanOutResults {

  private FanOutResults() {}

  static NodeOutcome outcome(
      String nodeId, String kind, FanOut fanOut, FanOutRunner.Outcome outcome, JsonNode output, RunVersions versions) {
    if (outcome.routed() != null) {
      ObjectNode routed = outcome.routed().toJson();
      routed.set("results", output);
      return outcome.routed().jump(routed);
    }
    if (outcome.timedOut()) {
      if (fanOut.onTimeout() != null) {
        return new NodeOutcome.Jump(output, fanOut.onTimeout(), "timed out: " + summary(outcome));
      }
      String timeout = DurationText.of(fanOut.timeout(), versions);
      throw ApplicationFailure.newNonRetryableFailure(
          kind + " node '" + nodeId + "' timed out after " + timeout + " (" + summary(outcome) + ") and has no onTimeout route",
          FailureTypes.FAN_OUT_TIMED_OUT);
    }
    if (!outcome.joinSatisfied()) {
      throw ApplicationFailure.newNonRetryableFailure(
          kind + " node '" + nodeId + "': join '" + fanOut.join().mode() + "' cannot be satisfied (" + summary(outcome)
              + "); failures: " + outcome.failures(),
          FailureTypes.JOIN_NOT_SATISFIED);
    }
    return new NodeOutcome.Completed(output);
  }

  static String summary(FanOutRunner.Outcome outcome) {
    return outcome.succeeded() + " succeeded, " + outcome.failed() + " failed, " + outcome.cancelled()
        + " cancelled, peak " + outcome.peakConcurrency() + " concurrent";
  }
}
