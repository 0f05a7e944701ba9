package dev.agentflow.engine.llm.admission;

import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;

/**
 * Token-aware admission of model calls, per pool: before a call is sent it reserves its estimated
 * tokens (prompt estimate + completion limit, {@link TokenEstimate}) in the pool's window, waiting
 * in line while the window is full; once answered, the reservation becomes the real usage ({@link
 * Permit#settle}). What the provider says (rate-limit headers, a 429's {@code Retry-After}) holds
 * capacity back for every worker sharing the {@link AdmissionStore}. Pools without per-minute
 * limits are not touched.
 */
public final class PoolAdmission {

  /**
   * The longest the first call in line sleeps before asking again (to notice room that came back
   * before the window said, e.g. a call that used less than it reserved); a store may let calls
   * further back sleep longer ({@link AdmissionStore.Attempt#askAgainIn}).
   */
  static final Duration MAX_POLL = Duration.ofSeconds(1);

  /** The shortest sleep between two asks. */
  static final Duration MIN_POLL = Duration.ofMillis(20);

  /** Sleeps a waiting call; {@link Thread#sleep} in production. */
  @FunctionalInterface
  public interface Sleeper {
    void sleep(Duration duration) throws InterruptedException;
  }

  private final AdmissionStore store;
  private final Map<String, RateLimits> limits;
  private final Sleeper sleeper;

  /**
   * @param limits per-minute limits by pool name; pools not listed (or unlimited) are admitted at once
   */
  public PoolAdmission(AdmissionStore store, Map<String, RateLimits> limits, Sleeper sleeper) {
    this.store = store;
    this.limits = new TreeMap<>(limits);
    this.sleeper = sleeper;
  }

  /** Admission for pools with no limits at all. */
  public static PoolAdmission none() {
    return new PoolAdmission(new InMemoryAdmissionStore(Clock.systemUTC()), Map.of(), duration -> {});
  }

  /**
   * Waits, first come first served, until the pool's window has room for {@code tokens}, and
   * reserves them.
   *
   * @param waiting told what the call is waiting for each time it asks and has to wait again, and
   *     at least every {@link #MAX_POLL} while it waits (repeating the last note between asks)
   * @throws InterruptedException when the activity is cancelled while waiting (it leaves the line)
   */
  public Permit admit(String pool, long tokens, Consumer<String> waiting) throws InterruptedException {
    RateLimits poolLimits = limits.get(pool);
    if (poolLimits == null || !poolLimits.limited()) {
      return new Permit(pool, -1, tokens, null);
    }
    long ticket = store.enqueue(pool, tokens);
    boolean admitted = false;
    try {
      while (true) {
        AdmissionStore.Attempt attempt = store.tryAdmit(pool, ticket, tokens, poolLimits);
        if (attempt.isAdmitted()) {
          admitted = true;
          return new Permit(pool, attempt.admission(), tokens, poolLimits);
        }
        String note = "waiting for capacity in pool '" + pool + "': " + tokens + " tokens, "
            + attempt.ahead() + " call(s) ahead, limits " + describe(poolLimits);
        waiting.accept(note);
        awaitTurn(pool, ticket, attempt.askAgainIn(), () -> waiting.accept(note));
      }
    } finally {
      if (!admitted) {
        store.leave(pool, ticket);
      }
    }
  }

  /**
   * Waits until the call should ask again, in slices of at most {@link #MAX_POLL} so that {@code
   * stillWaiting} hears from it every second even while it sleeps long far back in line.
   */
  private void awaitTurn(String pool, long ticket, Duration askAgainIn, Runnable stillWaiting)
      throws InterruptedException {
    Duration left = askAgainIn;
    while (true) {
      Duration slice = left.compareTo(MAX_POLL) > 0 ? MAX_POLL : left;
      if (store.await(pool, ticket, slice, sleeper)) {
        return;
      }
      left = left.minus(slice);
      if (left.isZero() || left.isNegative()) {
        return;
      }
      stillWaiting.run();
    }
  }

  private static String describe(RateLimits limits) {
    return (limits.tokensPerMinute() > 0 ? limits.tokensPerMinute() + " tokens" : "")
        + (limits.tokensPerMinute() > 0 && limits.requestsPerMinute() > 0 ? " and " : "")
        + (limits.requestsPerMinute() > 0 ? limits.requestsPerMinute() + " requests" : "") + " per minute";
  }

  /** One admitted call: settle it with what it used, and pass on what the provider said. */
  public final class Permit {

    private final String pool;
    private final long admission;
    private final long reserved;
    private final RateLimits poolLimits;

    private Permit(String pool, long admission, long reserved, RateLimits poolLimits) {
      this.pool = pool;
      this.admission = admission;
      this.reserved = reserved;
      this.poolLimits = poolLimits;
    }

    /** Whether the call went through the pool's window (the pool has per-minute limits). */
    public boolean counted() {
      return poolLimits != null;
    }

    /** The tokens reserved before the call. */
    public long reserved() {
      return reserved;
    }

    /** The call used {@code tokens} (real usage, or 0 when the provider refused it). */
    public void settle(long tokens) {
      if (counted()) {
        store.settle(pool, admission, tokens);
      }
    }

    /** The provider's rate-limit headers: only {@code remainingTokens} left until {@code resetAfter}. */
    public void tighten(long remainingTokens, Duration resetAfter) {
      if (counted()) {
        store.tighten(pool, poolLimits, remainingTokens, resetAfter);
      }
    }

    /** The provider refused the call with a 429: nothing goes out of this pool for {@code retryAfter}. */
    public void pause(Duration retryAfter) {
      if (counted()) {
        store.settle(pool, admission, 0);
        store.pause(pool, poolLimits, retryAfter);
      }
    }
  }
}
