package dev.agentflow.engine.workflow;

/**
 * An expression ran past the sandbox's wall-clock limit, and that is not decided yet. Thrown out of
 * workflow code on purpose: it is not a Temporal failure, so it fails the workflow task and
 * Temporal retries it (on this worker or another), rather than failing the run for a slow moment.
 * An expression that is slow every time is decided after a few attempts and fails the run ({@link
 * ExpressionGuard}); a replay that times out where the history shows the evaluation finished fails
 * only its task.
 */
final class ExpressionTimeLimitException extends RuntimeException {

  ExpressionTimeLimitException(String message, Throwable cause) {
    super(message, cause);
  }
}
