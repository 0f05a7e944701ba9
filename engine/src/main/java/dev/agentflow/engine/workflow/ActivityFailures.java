package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;

/** Reads what went wrong out of an {@link ActivityFailure}'s cause chain. */
final class ActivityFailures {

  private ActivityFailures() {}

  /** The application failure type (e.g. ContentFilterError), "Timeout", or the cause's class. */
  static String typeOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getType();
    }
    if (cause instanceof TimeoutFailure) {
      return "Timeout";
    }
    return cause == null ? "ActivityFailure" : cause.getClass().getSimpleName();
  }

  /** The root message, without Temporal's wrapping. */
  static String messageOf(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure application) {
      return application.getOriginalMessage();
    }
    if (cause != null && cause.getMessage() != null) {
      return cause.getMessage();
    }
    return failure.getMessage();
  }

  /**
   * A node's failed call: the jump to its {@code onError} node with {@code {error: {type, message}}}
   * as its output, or, without one, the run's failure.
   */
  static NodeOutcome.Jump onError(String nodeId, String kind, String onError, ActivityFailure failure) {
    if (onError == null) {
      throw asRunFailure(nodeId, kind, failure);
    }
    ObjectNode error = RunContext.JSON.createObjectNode();
    error.put("type", typeOf(failure));
    error.put("message", messageOf(failure));
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.set("error", error);
    return new NodeOutcome.Jump(output, onError, "error " + typeOf(failure));
  }

  /** Re-raises an activity failure as the run's failure, keeping its type so callers can match on it. */
  static ApplicationFailure asRunFailure(String nodeId, String kind, ActivityFailure failure) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        kind + " node '" + nodeId + "' failed: " + messageOf(failure), typeOf(failure), failure);
  }
}
