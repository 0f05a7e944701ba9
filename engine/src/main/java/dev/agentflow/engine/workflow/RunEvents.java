package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.llm.TokenUsage;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The live events of a run: node starts and finishes, every model call and tool call (name,
 * shortened arguments, duration, tokens), child runs and fan-out progress. A client follows them
 * with the {@code events} query from an offset ({@link RunEventsPage}).
 *
 * <p>Why a query over an in-memory log: every event is derived from what the run does anyway (an
 * activity's input and result, a child's start, workflow time, a model call's report that it waits
 * for capacity), so replay rebuilds the log exactly and the events cost no history of their own
 * while a run lasts; polling a query writes nothing
 * either (an update-based long poll would write two events per poll). The one cost is at
 * continue-as-new: the events of the run that ends are carried into the next one (in its
 * checkpoint), so a client less than one whole run behind loses nothing, and each event is written
 * to history once there. The same code keeps the run's current details (the Web UI's and {@code
 * temporal workflow describe}'s "current details") saying where the run is.
 *
 * <p>Behind {@code Workflow.getVersion} ({@link RunVersions#LIVE_EVENTS}): runs recorded before it
 * keep no log, carry nothing and set no details.
 */
final class RunEvents {

  static final int PAGE_SIZE = RunEventsPage.MAX_EVENTS;

  private static final int ARGUMENTS_LIMIT = 80;

  private final Supplier<UsageSummary> usage;
  private final List<RunEvent> events = new ArrayList<>();
  private boolean enabled;
  private String graph = "";
  private long first;
  private long next;
  private long runFirst;
  private String where = "";

  RunEvents(Supplier<UsageSummary> usage) {
    this.usage = usage;
  }

  /** Turns the log on (runs that asked {@link RunVersions#liveEvents()}) for a run of {@code graphName}. */
  void enable(String graphName) {
    this.enabled = true;
    this.graph = graphName;
  }

  boolean enabled() {
    return enabled;
  }

  /** The events this run recorded itself, for the next run of the chain; empty when the log is off. */
  List<RunEvent> carry() {
    List<RunEvent> own = new ArrayList<>();
    for (RunEvent event : events) {
      if (event.offset() >= runFirst) {
        own.add(event);
      }
    }
    return own;
  }

  /** Takes over the events the previous run of the chain carried; numbering goes on after them. */
  void restore(List<RunEvent> carried) {
    if (carried == null || carried.isEmpty()) {
      return;
    }
    events.clear();
    events.addAll(carried);
    first = carried.get(0).offset();
    next = carried.get(carried.size() - 1).offset() + 1;
    runFirst = next;
  }

  /** Events from {@code from} on, at most {@link #PAGE_SIZE}. */
  RunEventsPage page(long from) {
    List<RunEvent> page = new ArrayList<>();
    long start = Math.max(from, first);
    for (int i = (int) (start - first); i >= 0 && i < events.size() && page.size() < PAGE_SIZE; i++) {
      page.add(events.get(i));
    }
    long after = page.isEmpty() ? Math.max(Math.min(from, next), first) : page.get(page.size() - 1).offset() + 1;
    return new RunEventsPage(first, after, List.copyOf(page), enabled);
  }

  void nodeStarted(String node, String kind, int visit) {
    where = "node `" + node + "` (" + kind + (visit > 1 ? ", visit " + visit : "") + ")";
    add(new RunEvent(0, now(), RunEvent.NODE_STARTED, node, kind, null, null, null, null, null, null, visit,
        null, null, null, null));
  }

  /** A trace entry as an event: a node finished, the run continued as new or was cancelled, a signal was refused. */
  void traced(TraceEntry entry) {
    String type = switch (entry.kind()) {
      case "continue-as-new" -> RunEvent.RUN_CONTINUED;
      case "signal" -> RunEvent.SIGNAL_REJECTED;
      default -> entry.outcome() != null && entry.outcome().startsWith("cancelled") ? RunEvent.RUN_CANCELLED
          : RunEvent.NODE_FINISHED;
    };
    String detail = entry.outcome() + (entry.next() != null && type.equals(RunEvent.NODE_FINISHED) ? " → " + entry.next() : "");
    add(new RunEvent(0, now(), type, entry.node(), entry.kind(), detail, entry.durationMillis(),
        entry.inputTokens(), entry.outputTokens(), null, null, entry.visit(), null, null, null, null));
  }

  void modelCall(String node, String model, int iteration, long startedAt, TokenUsage tokens, Double costUsd,
      int toolCalls, String error) {
    where = "node `" + node + "` (llm) · model call " + iteration;
    String detail = error != null ? error : toolCalls > 0 ? toolCalls + " tool call" + (toolCalls == 1 ? "" : "s") : "answer";
    add(new RunEvent(0, now(), RunEvent.MODEL_CALL, node, model, shorten(detail, 160), now() - startedAt,
        tokens == null ? null : tokens.inputTokens(), tokens == null ? null : tokens.outputTokens(), costUsd,
        error == null ? "ok" : "error", iteration, null, null, null, null));
  }

  /** A model call of {@code node} waits for its pool's capacity ({@link CapacityWaits}). */
  void modelWaiting(String node, String note) {
    where = "node `" + node + "` (llm) · " + note;
    add(new RunEvent(0, now(), RunEvent.MODEL_WAITING, node, null, shorten(note, 160), null, null, null, null, null,
        null, null, null, null, null));
  }

  void toolCall(String node, String tool, String arguments, long startedAt, String error) {
    add(new RunEvent(0, now(), RunEvent.TOOL_CALL, node, tool,
        error != null ? shorten(arguments, ARGUMENTS_LIMIT) + " → " + shorten(error, 120) : shorten(arguments, ARGUMENTS_LIMIT),
        now() - startedAt, null, null, null, error == null ? "ok" : "error", null, null, null, null, null));
  }

  /** A tool call whose arguments are JSON (a tool node's rendered arguments). */
  void toolCall(String node, String tool, JsonNode arguments, long startedAt, String error) {
    toolCall(node, tool, arguments == null ? "{}" : arguments.toString(), startedAt, error);
  }

  void childStarted(String node, String branch, String workflowId) {
    add(new RunEvent(0, now(), RunEvent.CHILD_STARTED, node, workflowId, branch, null, null, null, null, null, null,
        null, null, null, null));
  }

  void fanOutProgress(String node, int done, int running, int failed, int total) {
    where = "node `" + node + "` · " + done + " done, " + running + " running, " + failed + " failed of " + total;
    add(new RunEvent(0, now(), RunEvent.FANOUT_PROGRESS, node, null, null, null, null, null, null, null, null,
        done, running, failed, total));
  }

  private void add(RunEvent event) {
    if (!enabled) {
      return;
    }
    events.add(event.at(next++));
    Workflow.setCurrentDetails(details());
  }

  /** What the Web UI shows as the run's current details (Markdown). */
  private String details() {
    UsageSummary spent = usage.get();
    String cost = spent.costUsd() > 0 ? String.format(Locale.ROOT, " · $%.6f", spent.costUsd()) : "";
    return "**" + graph + "** · " + where + " · " + spent.total().total() + " tokens so far" + cost;
  }

  private static long now() {
    return Workflow.currentTimeMillis();
  }

  static String shorten(String text, int limit) {
    if (text == null) {
      return null;
    }
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= limit ? oneLine : oneLine.substring(0, limit - 1) + "…";
  }
}
