package dev.agentflow.engine.expr;

import java.time.Duration;
import java.util.Objects;

/**
 * Bounds on one evaluation in an {@link ExpressionSandbox}.
 *
 * <p>An evaluation runs on the workflow thread, which Temporal declares deadlocked after one second
 * without yielding; the defaults keep every evaluation well below that. Every limit but the
 * timeout is deterministic: it fires at the same point of the same evaluation on every machine, so
 * a run fails the same way on every replay. The timeout is the safety net for work no deterministic
 * limit counts.
 *
 * @param statementLimit JavaScript statements one evaluation may execute (deterministic)
 * @param timeout wall-clock bound for work the other limits do not count (a safety net, not
 *     deterministic)
 * @param maxResultChars the largest result, in characters of its JSON (or rendered text)
 * @param allocation the sizes one builtin may create, checked before it allocates; null for none
 *     (the sandbox of runs recorded before these limits existed, which replay with it)
 */
public record SandboxLimits(long statementLimit, Duration timeout, int maxResultChars, Allocation allocation) {

  /**
   * Sizes checked before allocating, all deterministic. With them the sandbox also has no {@code
   * BigInt}, no code generation from strings ({@code eval}, {@code Function(…)}), no {@code
   * Promise}, no binary buffers ({@code ArrayBuffer}, typed arrays, {@code DataView}, {@code
   * Atomics}), and refuses {@code async}, {@code await} and {@code import()}: those are the ways an
   * expression reaches long-running builtins that neither the statement limit nor the watchdog can
   * stop in time.
   *
   * @param maxStringLength the longest string an expression can create (repeat, padStart, join,
   *     concatenation, JSON.stringify, …: the engine refuses it before allocating)
   * @param maxArrayLength the most elements an array builtin may make or walk in one call ({@code
   *     new Array(n)}, {@code fill}, {@code Array.from}, {@code indexOf}, spreading, {@code
   *     split}, …)
   * @param maxProperties the most properties an object builtin may make or list in one call
   *     ({@code Object.keys}, {@code Object.assign}, {@code Object.fromEntries}, …), and the most
   *     elements an array builtin may walk on an object that is not an array
   */
  public record Allocation(int maxStringLength, int maxArrayLength, int maxProperties) {

    /** 1 Mi characters (above the result cap), 100,000 elements, 10,000 properties. */
    public static final Allocation DEFAULTS = new Allocation((1 << 20) + 1024, 100_000, 10_000);

    public Allocation {
      if (maxStringLength <= 0 || maxArrayLength <= 0 || maxProperties <= 0) {
        throw new IllegalArgumentException("allocation limits must be positive: " + maxStringLength + ", "
            + maxArrayLength + ", " + maxProperties);
      }
    }
  }

  /** 100,000 statements, 500 ms, 1 MiB of characters, {@link Allocation#DEFAULTS}. */
  public static final SandboxLimits DEFAULTS =
      new SandboxLimits(100_000, Duration.ofMillis(500), 1 << 20, Allocation.DEFAULTS);

  /** The sandbox of runs recorded before the allocation limits: one million statements, no allocation limits. */
  public static final SandboxLimits LEGACY =
      new SandboxLimits(1_000_000, Duration.ofMillis(500), 1 << 20, null);

  /** With {@link Allocation#DEFAULTS}. */
  public SandboxLimits(long statementLimit, Duration timeout, int maxResultChars) {
    this(statementLimit, timeout, maxResultChars, Allocation.DEFAULTS);
  }

  public SandboxLimits {
    Objects.requireNonNull(timeout, "timeout");
    if (statementLimit <= 0 || timeout.isNegative() || timeout.isZero() || maxResultChars <= 0) {
      throw new IllegalArgumentException("sandbox limits must be positive: " + statementLimit
          + ", " + timeout + ", " + maxResultChars);
    }
  }

  /** Whether allocations are limited (and the sandbox is the strict one). */
  public boolean strict() {
    return allocation != null;
  }
}
