package dev.agentflow.engine.workflow;

import dev.agentflow.engine.llm.admission.CapacityWait;
import io.temporal.common.converter.EncodedValues;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The run's model calls that wait for their pool's capacity, for the {@code progress} query and the
 * live events. A call's activity waits inside the worker where the run cannot see it, so the call
 * tells the run by signal once it has waited a while, and again when admitted ({@link
 * CapacityWait}); a call admitted at once says nothing, so waiting costs history only when it is
 * long enough for someone to want to see it. The report reaches the run through the run's one
 * signal handler ({@link Inbox}), which never counts it as a rejected signal: a second, named
 * handler registered at the start of a run would be handed the signals that reached the run before
 * its handlers existed, and the SDK fails that workflow task (a {@code
 * ConcurrentModificationException}) when a flood of signals meets a continue-as-new. A report
 * counts only for a call the run has in flight, so no other sender can make a run claim to wait,
 * and a call that ends forgets its wait even when its last report never came. What is kept changes
 * no command: replay rebuilds it from the signals.
 */
final class CapacityWaits {

  private final RunEvents events;
  private final Map<String, String> inFlight = new TreeMap<>();
  private final Map<String, CapacityWait> waiting = new TreeMap<>();

  CapacityWaits(RunEvents events) {
    this.events = events;
  }

  /** The model call {@code call} ({@link CapacityWait#callOf}) of node {@code node} is about to be sent. */
  void expect(String call, String node) {
    inFlight.put(call, node);
  }

  /** The call has ended: whatever it said, it no longer waits. */
  void done(String call) {
    inFlight.remove(call);
    waiting.remove(call);
  }

  /** The calls waiting now, by call. */
  List<CapacityWait> waiting() {
    return List.copyOf(waiting.values());
  }

  /**
   * A call's report, as the run's signal handler ({@link Inbox}) received it; one that is not a
   * report is dropped like one for a call not in flight.
   */
  void accept(EncodedValues args) {
    CapacityWait report;
    try {
      report = args.get(0, CapacityWait.class);
    } catch (RuntimeException notAReport) {
      return;
    }
    if (report == null || report.call() == null || !inFlight.containsKey(report.call())) {
      return;
    }
    if (report.admitted()) {
      waiting.remove(report.call());
    } else if (waiting.put(report.call(), report) == null) {
      events.modelWaiting(inFlight.get(report.call()), report.note());
    }
  }
}
