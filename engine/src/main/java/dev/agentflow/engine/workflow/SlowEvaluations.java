package dev.agentflow.engine.workflow;

import dev.agentflow.engine.expr.ExpressionException;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The evaluations this worker saw run out of time, by run id and evaluation number, so that {@link
 * ExpressionGuard} can tell a slow expression from a slow moment: an evaluation that timed out
 * {@link #ATTEMPTS} times here, or that is still running past its limit on a thread a builtin keeps
 * busy (Temporal's deadlock detector failed that workflow task before the evaluation ended), is
 * slow, and the retried task records the time-limit decision instead of evaluating again.
 *
 * <p>State of this worker, not of the run: it only decides when a decision is taken, and the
 * decision itself is recorded in the history. Bounded: the most recent {@value #CAPACITY} keys.
 */
final class SlowEvaluations {

  /** Time-outs of one evaluation, in as many workflow tasks, after which it is slow. */
  static final int ATTEMPTS = 3;

  private static final int CAPACITY = 1_000;

  private static final Map<String, Long> RUNNING = new ConcurrentHashMap<>();
  private static final Map<String, Integer> TIMED_OUT =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, false) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
              return size() > CAPACITY;
            }
          });

  private SlowEvaluations() {}

  /** Runs {@code evaluation}, counting a time-out of {@code key}. */
  static <T> T watching(String key, Duration timeout, Supplier<T> evaluation) {
    RUNNING.put(key, System.nanoTime() + timeout.toNanos());
    try {
      return evaluation.get();
    } catch (ExpressionException e) {
      if (e.kind() == ExpressionException.Kind.TIME_LIMIT) {
        TIMED_OUT.merge(key, 1, Integer::sum);
      }
      throw e;
    } finally {
      RUNNING.remove(key);
    }
  }

  /** How many times {@code key} timed out here (a run still running past its limit counts once more). */
  static int timeouts(String key) {
    int timedOut = TIMED_OUT.getOrDefault(key, 0);
    Long deadline = RUNNING.get(key);
    return deadline != null && System.nanoTime() - deadline > 0 ? timedOut + 1 : timedOut;
  }

  /** Whether {@code key} is slow: timed out {@link #ATTEMPTS} times, or stuck past its limit right now. */
  static boolean isSlow(String key) {
    Long deadline = RUNNING.get(key);
    return timeouts(key) >= ATTEMPTS || (deadline != null && System.nanoTime() - deadline > 0);
  }
}
