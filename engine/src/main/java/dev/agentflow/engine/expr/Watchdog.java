package dev.agentflow.engine.expr;

import java.time.Duration;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.graalvm.polyglot.Context;

/**
 * Cancels a JavaScript evaluation that runs past its wall-clock limit.
 *
 * <p>The statement limit does not see builtins such as {@code 'x'.repeat(2**29)}, which run for
 * seconds inside one statement; closing the context with {@code cancelIfExecuting} from another
 * thread stops them. One daemon thread serves every sandbox in the JVM.
 */
final class Watchdog {

  private static final ScheduledThreadPoolExecutor TIMER = newTimer();

  private static final int RUNNING = 0;
  private static final int FINISHED = 1;
  private static final int FIRED = 2;

  private final AtomicInteger state = new AtomicInteger(RUNNING);
  private final ScheduledFuture<?> future;

  private Watchdog(Context context, Duration timeout) {
    this.future = TIMER.schedule(() -> fire(context), timeout.toNanos(), TimeUnit.NANOSECONDS);
  }

  /** Starts watching an evaluation in {@code context}; call {@link #finish()} when it ends. */
  static Watchdog start(Context context, Duration timeout) {
    return new Watchdog(context, timeout);
  }

  /**
   * Stops watching.
   *
   * @return false if the limit was hit and the context was (or is being) cancelled, so it must not
   *     be used again
   */
  boolean finish() {
    future.cancel(false);
    return state.compareAndSet(RUNNING, FINISHED) || state.get() == FINISHED;
  }

  /** True once the limit was hit. */
  boolean fired() {
    return state.get() == FIRED;
  }

  private void fire(Context context) {
    if (state.compareAndSet(RUNNING, FIRED)) {
      try {
        context.close(true);
      } catch (RuntimeException e) {
        // The evaluating thread sees the cancellation; nothing useful to do with this one here.
      }
    }
  }

  private static ScheduledThreadPoolExecutor newTimer() {
    ScheduledThreadPoolExecutor timer =
        new ScheduledThreadPoolExecutor(
            1,
            runnable -> {
              Thread thread = new Thread(runnable, "agentflow-expression-watchdog");
              thread.setDaemon(true);
              return thread;
            });
    timer.setRemoveOnCancelPolicy(true);
    return timer;
  }
}
