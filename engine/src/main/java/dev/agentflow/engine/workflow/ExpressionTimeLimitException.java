package dev.agentflow.engine.workflow;

/**
 * An expression ran past the sandbox's wall-clock limit. Thrown out of workflow code on purpose: it
 * is not a Temporal failure, so it fails the workflow task and Temporal retries it (on this worker
 * or another), rather than failing the run for something a replay might not see again. An
 * expression that is slow every time keeps the task failing, visible as workflow task failures in
 * the UI, until the definition is fixed and the run reset.
 */
final class ExpressionTimeLimitException extends RuntimeException {

  ExpressionTimeLimitException(String message, Throwable cause) {
    super(message, cause);
  }
}
