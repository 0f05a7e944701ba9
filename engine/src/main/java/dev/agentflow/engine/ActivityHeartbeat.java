package dev.agentflow.engine;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.common.CancellationToken;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Keeps a model or tool activity alive in the server's eyes while its slow part (the provider
 * call, the tool) runs, and stops that part when the activity is cancelled.
 *
 * <p>A background task heartbeats every {@link #INTERVAL} (the SDK sends at most one heartbeat per
 * 80% of the heartbeat timeout). With a heartbeat timeout on the activity ({@link
 * ActivityOptionsFactory#HEARTBEAT_TIMEOUT}), a call lost with its worker is retried once the
 * heartbeats stop, not when its StartToClose timeout expires; and a cancellation reaches the
 * activity in a heartbeat's response. Cancellation interrupts the thread only while it is inside
 * {@link #interruptibly}, so the interrupt never lands in blob store writes or the SDK.
 *
 * <p>Outside an activity (a unit test calling the implementation directly) it does nothing.
 */
public final class ActivityHeartbeat implements AutoCloseable {

  /** How often the background task heartbeats. */
  static final Duration INTERVAL = Duration.ofSeconds(1);

  private static final ScheduledExecutorService SCHEDULER =
      Executors.newSingleThreadScheduledExecutor(
          runnable -> {
            Thread thread = new Thread(runnable, "agentflow-activity-heartbeat");
            thread.setDaemon(true);
            return thread;
          });

  /** Runs one part of an activity that may be stopped by an interrupt. */
  @FunctionalInterface
  public interface Work<T, E extends Exception> {
    T run() throws E;
  }

  private final ActivityExecutionContext context;
  private final Thread worker = Thread.currentThread();
  private final Object lock = new Object();
  private ScheduledFuture<?> beating;
  private CancellationToken.Registration onCancel;
  private ActivityCompletionException stoppedBy;
  private boolean interruptible;
  private volatile String details;

  private ActivityHeartbeat(ActivityExecutionContext context) {
    this.context = context;
  }

  /** Starts heartbeating for the activity running on this thread; a no-op outside an activity. */
  public static ActivityHeartbeat start() {
    ActivityExecutionContext context;
    try {
      context = Activity.getExecutionContext();
    } catch (IllegalStateException | NullPointerException notInAnActivity) {
      return new ActivityHeartbeat(null);
    }
    ActivityHeartbeat heartbeat = new ActivityHeartbeat(context);
    heartbeat.onCancel = context.getCancellationToken().onCancel(
        () -> heartbeat.stop(new ActivityCanceledException(context.getInfo())));
    heartbeat.beating = SCHEDULER.scheduleWithFixedDelay(
        heartbeat::beat, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
    return heartbeat;
  }

  /**
   * Runs {@code work}; when the activity is cancelled (or the server no longer knows it) while the
   * work runs, the thread is interrupted and the activity fails with the SDK's cancellation
   * exception, which Temporal records as the activity's cancellation.
   */
  public <T, E extends Exception> T interruptibly(Work<T, E> work) throws E {
    synchronized (lock) {
      if (stoppedBy != null) {
        throw stoppedBy;
      }
      interruptible = true;
    }
    try {
      return work.run();
    } catch (RuntimeException | Error e) {
      throwIfStopped();
      throw e;
    } catch (Exception e) {
      throwIfStopped();
      throw e;
    } finally {
      synchronized (lock) {
        interruptible = false;
      }
      // an interrupt that came after the work finished must not reach the rest of the activity
      Thread.interrupted();
    }
  }

  /**
   * What the next heartbeats carry (visible as the pending activity's heartbeat details in {@code
   * temporal workflow describe} and the UI), e.g. what a call waits for; null for none.
   */
  public void report(String text) {
    this.details = text;
  }

  /** Whether the activity was cancelled (or lost) while it ran. */
  public boolean stopped() {
    synchronized (lock) {
      return stoppedBy != null;
    }
  }

  private void throwIfStopped() {
    synchronized (lock) {
      if (stoppedBy != null) {
        Thread.interrupted();
        throw stoppedBy;
      }
    }
  }

  private void beat() {
    try {
      context.heartbeat(details);
    } catch (ActivityCompletionException e) {
      stop(e);
    } catch (RuntimeException e) {
      // a heartbeat that could not be sent is retried on the next beat
    }
  }

  private void stop(ActivityCompletionException reason) {
    synchronized (lock) {
      if (stoppedBy != null) {
        return;
      }
      stoppedBy = reason;
      if (interruptible) {
        worker.interrupt();
      }
    }
  }

  @Override
  public void close() {
    if (beating != null) {
      beating.cancel(false);
    }
    if (onCancel != null) {
      onCancel.close();
    }
  }
}
