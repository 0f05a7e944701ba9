package dev.agentflow.engine.expr;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation in an {@link ExpressionSandbox}.
 *
 * <p>An evaluation runs on the workflow thread, which Temporal declares deadlocked after one second
 * without yielding; the defaults keep every evaluation well below that.
 *
 * @param statementLimit JavaScript statements one evaluation may execute (deterministic)
 * @param timeout wall-clock bound for builtins that run long without executing statements, such
 *     as {@code new Array(1e9).fill(0)} (a safety net, not deterministic)
 * @param maxResultChars the largest result, in characters of its JSON (or rendered text)
 */
public record SandboxLimits(long statementLimit, Duration timeout, int maxResultChars) {

  /** One million statements, 500 ms, 1 MiB of characters. */
  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(1_000_000, Duration.ofMillis(500), 1 << 20);

  public SandboxLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (statementLimit <= 0 || timeout.isNegative() || timeout.isZero() || maxResultChars <= 0) {
      throw new IllegalArgumentException("sandbox limits must be positive: " + statementLimit
          + ", " + timeout + ", " + maxResultChars);
    }
  }
}
