package dev.agentflow.engine.workflow;

import dev.agentflow.engine.expr.ExpressionException;
import dev.agentflow.engine.expr.SandboxLimits;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.function.Supplier;

/**
 * Turns what the expression sandbox reports into the run's outcome, the same on every machine and
 * every replay.
 *
 * <p>Every deterministic limit (statements, string and array sizes, result size, forbidden syntax)
 * fails the run with a non-retryable {@link FailureTypes#EXPRESSION_ERROR} naming the node and the
 * expression. The wall-clock watchdog is the one limit that depends on the machine, so one time-out
 * only fails the workflow task, which Temporal retries (a cold or busy worker is not a reason to
 * fail a run). When the same evaluation timed out {@link SlowEvaluations#ATTEMPTS} times on this
 * worker, or is still stuck in a builtin past its limit, the time-out is decided: recorded in the
 * history (a {@link Workflow#getVersion} marker named {@value #TIME_LIMIT_CHANGE_ID} plus the
 * evaluation's number in the run) and the run fails with an {@code ExpressionError}. A replay asks
 * for that marker before each evaluation, so it fails at the same evaluation without running it,
 * however fast the replaying machine is. The run's outcome then never depends on a replay's timing,
 * and a slow expression costs a bounded number of workflow tasks, never an endless retry.
 */
final class ExpressionGuard {

  /** Prefix of the change id that records a time-limit decision; the evaluation's number follows. */
  static final String TIME_LIMIT_CHANGE_ID = "expression-time-limit-";

  private final SandboxLimits limits;
  private int evaluations;

  ExpressionGuard(SandboxLimits limits) {
    this.limits = limits;
  }

  /** The sandbox limits of a run of this version: strict, or the legacy ones it was recorded with. */
  static SandboxLimits limitsFor(RunVersion version) {
    return version.limitsExpressions() ? SandboxLimits.DEFAULTS : SandboxLimits.LEGACY;
  }

  /** Runs one evaluation of {@code expression} (the {@code what} of node {@code nodeId}). */
  <T> T evaluate(String nodeId, String what, String expression, Supplier<T> evaluation) {
    int number = ++evaluations;
    String key = Workflow.getInfo().getRunId() + "#" + number;
    if (Workflow.isReplaying()) {
      if (Workflow.getVersion(TIME_LIMIT_CHANGE_ID + number, Workflow.DEFAULT_VERSION, 1) == 1) {
        throw timedOut(nodeId, what, expression);
      }
    } else if (SlowEvaluations.isSlow(key)) {
      throw decideTimedOut(number, nodeId, what, expression);
    }
    try {
      return SlowEvaluations.watching(key, limits.timeout(), evaluation);
    } catch (ExpressionException e) {
      if (e.kind() != ExpressionException.Kind.TIME_LIMIT) {
        throw ApplicationFailure.newNonRetryableFailure(
            "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` failed: " + e.getMessage(),
            FailureTypes.EXPRESSION_ERROR);
      }
      if (Workflow.isReplaying()) {
        throw new ExpressionTimeLimitException(
            "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` " + e.getMessage()
                + " while replaying, where the history shows it finished in time; the workflow task is retried",
            e);
      }
      if (SlowEvaluations.isSlow(key)) {
        throw decideTimedOut(number, nodeId, what, expression);
      }
      throw new ExpressionTimeLimitException(
          "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` " + e.getMessage() + " (time-out "
              + SlowEvaluations.timeouts(key) + " of " + SlowEvaluations.ATTEMPTS + " on this worker before the run"
              + " fails); the workflow task is retried",
          e);
    }
  }

  /** Records that evaluation {@code number} timed out, and returns the run's failure. */
  private ApplicationFailure decideTimedOut(int number, String nodeId, String what, String expression) {
    Workflow.getVersion(TIME_LIMIT_CHANGE_ID + number, Workflow.DEFAULT_VERSION, 1);
    return timedOut(nodeId, what, expression);
  }

  private ApplicationFailure timedOut(String nodeId, String what, String expression) {
    return ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` exceeded the time limit ("
            + limits.timeout().toMillis() + " ms) again and again (" + SlowEvaluations.ATTEMPTS + " workflow tasks,"
            + " or a builtin kept it running past the limit) without reaching a deterministic limit; the decision is"
            + " recorded in the history, so the run fails here on every replay",
        FailureTypes.EXPRESSION_ERROR);
  }

  static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
