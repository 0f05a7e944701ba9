package dev.agentflow.engine.llm;

import dev.agentflow.engine.ActivityHeartbeat;
import dev.agentflow.engine.llm.admission.CapacityWait;
import java.time.Duration;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Says that one model call waits for its pool's capacity: in every heartbeat while it waits (for
 * {@code temporal workflow describe} and the Web UI), and to its run once it has waited {@link
 * #REPORT_AFTER} (for the run's {@code progress} query), then again when it is admitted. A call
 * admitted sooner tells its run nothing, so the usual short wait for a slot costs no history; the
 * run is told only when its request asks for it ({@link LlmCallRequest#reportsCapacityWait()}: runs
 * of an older build have no handler for the signal).
 */
final class CapacityWaitNotice implements Consumer<String> {

  /** How long a call waits before its run is told. */
  static final Duration REPORT_AFTER = Duration.ofSeconds(1);

  private final String call;
  private final boolean reportToRun;
  private final ActivityHeartbeat heartbeat;
  private final CapacityWaitReporter reporter;
  private final LongSupplier nanoTime;
  private final long reportAfterNanos;
  private long firstWaitNanos;
  private boolean waiting;
  private boolean reported;

  CapacityWaitNotice(LlmCallRequest request, ActivityHeartbeat heartbeat, CapacityWaitReporter reporter,
      LongSupplier nanoTime, Duration reportAfter) {
    this.call = CapacityWait.callOf(request.nodeId(), request.callIndex());
    this.reportToRun = request.reportsCapacityWait();
    this.heartbeat = heartbeat;
    this.reporter = reporter;
    this.nanoTime = nanoTime;
    this.reportAfterNanos = reportAfter.toNanos();
  }

  /** The call has to wait again: {@code note} says for what. */
  @Override
  public void accept(String note) {
    heartbeat.report(note);
    long now = nanoTime.getAsLong();
    if (!waiting) {
      waiting = true;
      firstWaitNanos = now;
    }
    if (reportToRun && !reported && now - firstWaitNanos >= reportAfterNanos) {
      reporter.report(new CapacityWait(call, note));
      reported = true;
    }
  }

  /** The call no longer waits (admitted, or it left the line). */
  void over() {
    heartbeat.report(null);
    if (reported) {
      reporter.report(new CapacityWait(call, null));
      reported = false;
    }
  }
}
