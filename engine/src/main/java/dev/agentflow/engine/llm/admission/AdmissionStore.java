package dev.agentflow.engine.llm.admission;

import java.time.Duration;

/**
 * Where a pool's window and its queue of waiting calls live. Every worker that serves a pool must
 * use the same store for the limits to hold across the deployment: {@link PostgresAdmissionStore}
 * for several workers, {@link InMemoryAdmissionStore} for one worker process.
 *
 * <p>Waiting is first come, first served: {@link #enqueue} hands out increasing tickets, and only
 * the oldest ticket of a pool still waiting may be admitted, so a long prompt is not overtaken
 * forever by short ones that would fit sooner.
 */
public interface AdmissionStore {

  /** A ticket in the pool's queue for a call of {@code tokens} (higher tickets came later). */
  long enqueue(String pool, long tokens);

  /**
   * Admits the ticket when it is the oldest still waiting and the window has room for {@code
   * tokens} (see {@link SlidingWindow}), recording the reservation and leaving the queue; otherwise
   * says how long to wait before asking again (and, for a store shared by processes, marks the ticket
   * as still waiting).
   */
  Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits);

  /** Leaves the queue without being admitted (the call was cancelled or failed while waiting). */
  void leave(String pool, long ticket);

  /** Replaces an admitted call's reservation by what it really used. */
  void settle(String pool, long admission, long tokens);

  /**
   * The provider says only {@code remainingTokens} are left until {@code resetAfter} from now: when
   * that is less than the window has free, hold the difference until then.
   */
  void tighten(String pool, RateLimits limits, long remainingTokens, Duration resetAfter);

  /** The provider refused a call (429): hold the whole window until {@code retryAfter} from now. */
  void pause(String pool, RateLimits limits, Duration retryAfter);

  /**
   * Waits until {@code ticket} should ask again: {@code askAgainIn} at most, less when the store
   * knows the line moved to it (a store shared by processes wakes the next in line, so a call far
   * back need not ask often). Throws when the waiting thread is interrupted.
   *
   * @return whether it was woken before {@code askAgainIn} because the line moved
   */
  default boolean await(String pool, long ticket, Duration askAgainIn, PoolAdmission.Sleeper sleeper)
      throws InterruptedException {
    sleeper.sleep(askAgainIn);
    return false;
  }

  /**
   * The outcome of {@link #tryAdmit}: admitted (an admission id to settle) or how long until there
   * is room for this call and every call ahead of it ({@code retryIn}), and when to ask again
   * ({@code askAgainIn}: at most {@code retryIn}, sooner to notice room that came back early).
   */
  record Attempt(long admission, Duration retryIn, int ahead, Duration askAgainIn) {

    public static Attempt admitted(long admission) {
      return new Attempt(admission, Duration.ZERO, 0, Duration.ZERO);
    }

    /** Waiting, asking again within {@link PoolAdmission#MAX_POLL}. */
    public static Attempt waiting(Duration wait, int ahead) {
      return waiting(wait, ahead, PoolAdmission.MAX_POLL);
    }

    /** Waiting, asking again within {@code longestSleep} (never before {@link PoolAdmission#MIN_POLL}). */
    public static Attempt waiting(Duration wait, int ahead, Duration longestSleep) {
      Duration askAgainIn = wait.compareTo(longestSleep) > 0 ? longestSleep : wait;
      return new Attempt(-1, wait, ahead,
          askAgainIn.compareTo(PoolAdmission.MIN_POLL) < 0 ? PoolAdmission.MIN_POLL : askAgainIn);
    }

    public boolean isAdmitted() {
      return admission >= 0;
    }
  }
}
