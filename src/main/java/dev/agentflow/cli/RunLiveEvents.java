package dev.agentflow.cli;

import dev.agentflow.engine.RunEventsFollower;

/**
 * What {@code agentflow run} prints while a run goes on: its live events as they come, from the
 * offset it has reached. Quiet when the run keeps no live events (a history from before them) or a
 * worker cannot answer yet, so a run is followed the same way whatever it keeps.
 */
final class RunLiveEvents {
  private final RunEventsFollower follower;
  private final EventPrinter printer;
  private long next;
  private boolean live = true;
  private boolean closed;

  RunLiveEvents(RunEventsFollower follower, EventPrinter printer) {
    this.follower = follower;
    this.printer = printer;
  }

  void poll() {
    if (!live) {
      return;
    }
    try {
      RunEventsFollower.Poll poll = follower.poll(next);
      if (next == 0 && !poll.events().isEmpty()) {
        StartupTimings.mark("first live events printed");
      }
      live = poll.live();
      closed = poll.closed();
      printer.print(poll.events());
      next = poll.next();
    } catch (RuntimeException notYet) {
      // before the first workflow task, or a worker too busy to answer: the next poll asks again
    }
  }

  /** After the run ended: everything not printed yet. */
  void drain() {
    poll();
  }

  boolean live() {
    return live;
  }

  /** True once a poll saw the run's chain ended. */
  boolean closed() {
    return closed;
  }

  int steps() {
    return printer.steps();
  }
}
