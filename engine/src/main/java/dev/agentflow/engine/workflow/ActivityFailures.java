package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.llm.BilledCall;
import io.temporal.common.converter.DataConverterException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.CancellationScope;

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
   * A call that failed because the run was cancelled is not an error of the node: the
   * cancellation goes on up (never to {@code onError}, never to the model as a tool error). Runs
   * recorded before cancellation was told apart keep treating it as an error.
   */
  static void rethrowIfCancelled(ActivityFailure failure, RunVersions versions) {
    if (CancellationScope.current().isCancelRequested() && versions.cancellation()) {
      throw failure;
    }
  }

  /** What the provider billed for a failed model call, when the failure says (see {@link BilledCall}). */
  static BilledCall billedCall(ActivityFailure failure) {
    if (!(failure.getCause() instanceof ApplicationFailure application)
        || application.getDetails() == null || application.getDetails().getSize() == 0) {
      return null;
    }
    try {
      return application.getDetails().get(0, BilledCall.class);
    } catch (DataConverterException | IndexOutOfBoundsException notABilledCall) {
      return null;
    }
  }

  /**
   * A node's failed call: the jump to its {@code onError} node with {@code {error: {type, message}}}
   * as its output, or, without one, the run's failure.
   */
  static NodeOutcome.Jump onError(String nodeId, String kind, String onError, ActivityFailure failure) {
    if (onError == null) {
      throw asRunFailure(nodeId, kind, failure);
    }
    return errorJump(onError, typeOf(failure), messageOf(failure));
  }

  /** The jump to {@code onError} with {@code {error: {type, message}}} as the node's output. */
  static NodeOutcome.Jump errorJump(String onError, String type, String message) {
    ObjectNode error = RunContext.JSON.createObjectNode();
    error.put("type", type);
    error.put("message", message);
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.set("error", error);
    return new NodeOutcome.Jump(output, onError, "error " + type);
  }

  /** Re-raises an activity failure as the run's failure, keeping its type so callers can match on it. */
  static ApplicationFailure asRunFailure(String nodeId, String kind, ActivityFailure failure) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        kind + " node '" + nodeId + "' failed: " + messageOf(failure), typeOf(failure), failure);
  }
}
