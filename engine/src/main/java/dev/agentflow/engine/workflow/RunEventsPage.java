package dev.agentflow.engine.workflow;

import java.util.List;

/**
 * The answer to the {@code events} query: the events from the offset asked for, as far as the run
 * holds them.
 *
 * @param first the lowest offset the run still holds (events before it were carried by an earlier
 *     run of the chain only; a client asking below it has fallen a whole run behind)
 * @param next the offset to ask for next: one past the last event returned
 * @param events at most {@link #MAX_EVENTS} events, in offset order
 * @param live false once the run's events are off (a run recorded before live events existed)
 */
public record RunEventsPage(long first, long next, List<RunEvent> events, boolean live) {

  /** Most events one answer holds. */
  public static final int MAX_EVENTS = 500;

  /** Before the run's first workflow task. */
  public static RunEventsPage empty(long from) {
    return new RunEventsPage(from, from, List.of(), true);
  }
}
