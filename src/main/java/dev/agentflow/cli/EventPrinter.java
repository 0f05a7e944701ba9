package dev.agentflow.cli;

import dev.agentflow.engine.workflow.RunEvent;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Prints a run's live events as they come: every node that finishes as a numbered trace line (the
 * format {@code agentflow run} has always printed), and under it the model and tool calls as they
 * happen and one progress line per fan-out per poll (done/running/failed of N).
 */
final class EventPrinter {

  private final PrintWriter out;
  private final boolean numbered;
  private int steps;

  /** @param numbered true when following from offset 0, so trace lines carry their step number */
  EventPrinter(PrintWriter out, boolean numbered) {
    this.out = out;
    this.numbered = numbered;
  }

  /** How many trace lines (finished nodes, continuations, refused signals, a cancellation) were printed. */
  int steps() {
    return steps;
  }

  void print(List<RunEvent> events) {
    Map<String, RunEvent> progress = new LinkedHashMap<>();
    for (RunEvent event : events) {
      if (RunEvent.FANOUT_PROGRESS.equals(event.type())) {
        progress.put(event.node(), event);
        continue;
      }
      flushProgress(progress);
      line(event);
    }
    flushProgress(progress);
    out.flush();
  }

  private void flushProgress(Map<String, RunEvent> progress) {
    for (RunEvent event : progress.values()) {
      out.printf("      ⇉ %s: %d done, %d running, %d failed of %d%n", event.node(), event.done(), event.running(),
          event.failed(), event.total());
    }
    progress.clear();
  }

  private void line(RunEvent event) {
    switch (event.type()) {
      case RunEvent.MODEL_CALL -> out.printf("      ↳ model call %d  %s  %d ms%s  %s%s%n", event.iteration(), event.name(),
          orZero(event.durationMillis()), tokens(event), event.detail(),
          event.costUsd() != null && event.costUsd() > 0 ? String.format(Locale.ROOT, "  $%.6f", event.costUsd()) : "");
      case RunEvent.TOOL_CALL -> out.printf("      ↳ tool %s %s  %d ms%s%n", event.name(), event.detail(),
          orZero(event.durationMillis()), "error".equals(event.status()) ? "  ✘" : "");
      case RunEvent.MODEL_WAITING -> out.printf("      ↳ %s%n", event.detail());
      case RunEvent.CHILD_STARTED -> { }
      case RunEvent.NODE_STARTED -> { }
      default -> traceLine(event);
    }
  }

  private void traceLine(RunEvent event) {
    steps++;
    String detail = event.detail() == null ? "" : event.detail();
    int arrow = detail.lastIndexOf(" → ");
    String outcome = arrow >= 0 ? detail.substring(0, arrow) : detail;
    String next = arrow >= 0 ? "  → " + detail.substring(arrow + 3) : "";
    String shownOutcome = "ok".equals(outcome) ? "" : "  (" + outcome + ")";
    String step = numbered ? String.format("%2d.", steps) : " ·";
    out.printf("  %s %-14s %-5s %6d ms%s%s%s%n", step, event.node(), event.name(), orZero(event.durationMillis()),
        tokens(event), shownOutcome, next);
  }

  private static String tokens(RunEvent event) {
    long in = orZero(event.inputTokens());
    long out = orZero(event.outputTokens());
    return in + out > 0 ? String.format("  %d+%d tokens", in, out) : "";
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }
}
