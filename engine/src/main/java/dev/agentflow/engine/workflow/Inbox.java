package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.WaitNode;
import io.temporal.common.converter.EncodedValues;
import io.temporal.failure.ApplicationFailure;
import dev.agentflow.engine.llm.admission.CapacityWait;
import io.temporal.workflow.DynamicSignalHandler;
import io.temporal.workflow.DynamicUpdateHandler;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The run's mailbox for events sent by people or other systems: signals and updates of any name.
 * The handlers are registered once per run as dynamic handlers, so a definition can wait for any
 * event name without Java changes, and the stock {@code temporal workflow signal|update} commands
 * work (the payload is the first argument).
 *
 * <p>Rules, in one place:
 *
 * <ul>
 *   <li>An <b>update</b> is checked by its validator: it is rejected (nothing in history) unless the
 *       run is waiting for that event right now and the payload matches the waiting node's schema.
 *       An accepted update returns {@code {accepted: true, node}}.
 *   <li>A <b>signal</b> cannot be rejected by Temporal, so it is judged here: for the event being
 *       waited for, a payload that fails the schema is recorded in the trace as rejected and the
 *       node keeps waiting. A signal for an event that some node of the graph waits for, but that
 *       arrives before that node is reached, is queued (first in, first out, per event) and
 *       consumed when a node waits for it; it is checked against that node's schema then. A signal
 *       for an event nothing in the graph waits for is recorded as rejected.
 *   <li>In runs with bounded queues (every run started since signals were bounded), each event's
 *       queue holds at most {@link #MAX_QUEUED} signals; a signal past that is rejected. A rejected
 *       signal never counts toward the step limit and only the first few are traced ({@link
 *       RunState#addRejectedSignal}), so junk signals neither end a run nor grow its state.
 * </ul>
 *
 * <p>Everything here runs in workflow threads: sorted maps, workflow time, durable timers only.
 */
final class Inbox {

  /** An event a waiting node received; {@code via} is {@code signal} or {@code update}. */
  record Delivery(String event, JsonNode payload, String via) {}

  /** Signals one event's queue holds in runs with bounded queues; more are rejected. */
  static final int MAX_QUEUED = 100;

  /** What {@link #await(String, String, InputValidator, Duration, BooleanSupplier)} returns when interrupted. */
  static final Delivery INTERRUPTED = new Delivery(null, null, "interrupted");

  private record Waiting(String nodeId, String event, InputValidator validator) {}

  private final RunState state;
  private final Set<String> knownEvents;
  private final Map<String, Deque<JsonNode>> queued = new TreeMap<>();
  private final boolean boundedQueues;
  private Waiting waiting;
  private Delivery delivered;

  /**
   * @param knownEvents every event name some node or budget of the run may wait for; signals with
   *     other names are rejected instead of queued
   * @param boundedQueues whether each event's queue holds at most {@link #MAX_QUEUED} signals
   */
  Inbox(RunState state, Set<String> knownEvents, boolean boundedQueues) {
    this.state = state;
    this.knownEvents = new TreeSet<>(knownEvents);
    this.boundedQueues = boundedQueues;
  }

  /** The events a run of {@code graph} may wait for: wait nodes' events and every budget's ask signal. */
  static Set<String> eventsOf(GraphDefinition graph, Budget limit) {
    Set<String> events = new TreeSet<>();
    addAsk(events, graph.budget());
    addAsk(events, limit);
    for (Node node : graph.nodes().values()) {
      if (node instanceof WaitNode wait) {
        events.add(wait.event());
      }
      addAsk(events, node.budget());
    }
    return events;
  }

  private static void addAsk(Set<String> events, Budget budget) {
    if (budget != null && budget.onExceed() != null && "ask".equals(budget.onExceed().action())
        && budget.onExceed().target() != null) {
      events.add(budget.onExceed().target());
    }
  }

  /**
   * Registers the dynamic signal and update handlers; call once, at the start of the run, after the
   * queued signals of a previous run are restored ({@link #restoreQueued}): signals that reached
   * this run before the handlers existed are delivered by the SDK as the handlers register, so they
   * queue behind the carried ones, in order.
   */
  void register() {
    Workflow.registerListener((DynamicSignalHandler) this::onSignal);
    Workflow.registerListener(
        new DynamicUpdateHandler() {
          @Override
          public void handleValidate(String event, EncodedValues args) {
            validateUpdate(event, args);
          }

          @Override
          public Object handleExecute(String event, EncodedValues args) {
            return executeUpdate(event, args);
          }

          @Override
          public String getDescription() {
            return "delivers an event to the wait node (or budget question) that waits for it";
          }
        });
  }

  /**
   * Waits until a valid signal or update named {@code event} arrives for node {@code nodeId}, or
   * until {@code timeout} passes (one durable timer; null waits for ever). A matching signal that
   * arrived earlier is consumed first.
   *
   * @return the delivery, or null when the timeout passed first
   */
  Delivery await(String nodeId, String event, InputValidator validator, Duration timeout) {
    return await(nodeId, event, validator, timeout, () -> false);
  }

  /**
   * Like {@link #await(String, String, InputValidator, Duration)}, but also stops waiting, returning
   * {@link #INTERRUPTED}, as soon as {@code interrupt} holds (checked after every event the run
   * receives; e.g. continue-as-new becoming due while the run waits for days).
   */
  Delivery await(String nodeId, String event, InputValidator validator, Duration timeout, BooleanSupplier interrupt) {
    Delivery early = takeQueued(nodeId, event, validator);
    if (early != null) {
      return early;
    }
    waiting = new Waiting(nodeId, event, validator);
    delivered = null;
    try {
      boolean[] interrupted = new boolean[1];
      Supplier<Boolean> done = () -> {
        if (delivered != null) {
          return true;
        }
        interrupted[0] = interrupt.getAsBoolean();
        return interrupted[0];
      };
      if (timeout == null) {
        Workflow.await(done);
      } else {
        Workflow.await(timeout, done);
      }
      return delivered == null && interrupted[0] ? INTERRUPTED : delivered;
    } finally {
      waiting = null;
      delivered = null;
    }
  }

  /** The event the run is waiting for right now, or null. */
  String waitingFor() {
    return waiting == null ? null : waiting.event();
  }

  /** Signals received before a node waited for them, per event, oldest first (for continue-as-new). */
  Map<String, List<JsonNode>> queued() {
    Map<String, List<JsonNode>> copy = new TreeMap<>();
    queued.forEach((event, payloads) -> copy.put(event, List.copyOf(payloads)));
    return copy;
  }

  /** Restores queued signals carried over from a previous run (continue-as-new). */
  void restoreQueued(Map<String, List<JsonNode>> carried) {
    if (carried != null) {
      carried.forEach((event, payloads) -> queued.computeIfAbsent(event, e -> new ArrayDeque<>()).addAll(payloads));
    }
  }

  private Delivery takeQueued(String nodeId, String event, InputValidator validator) {
    Deque<JsonNode> pending = queued.get(event);
    while (pending != null && !pending.isEmpty()) {
      JsonNode payload = pending.removeFirst();
      List<Problem> problems = validator.validate(payload);
      if (problems.isEmpty()) {
        return new Delivery(event, payload, "signal");
      }
      recordRejectedSignal(nodeId, event, describe(problems));
    }
    return null;
  }

  private void onSignal(String event, EncodedValues args) {
    if (CapacityWait.SIGNAL.equals(event)) {
      state.capacityWaits().accept(args);
      return;
    }
    JsonNode payload;
    try {
      payload = payloadOf(args);
    } catch (RuntimeException e) {
      recordRejectedSignal(null, event, "the payload is not JSON");
      return;
    }
    Waiting current = waiting;
    if (current != null && current.event().equals(event) && delivered == null) {
      List<Problem> problems = current.validator().validate(payload);
      if (problems.isEmpty()) {
        delivered = new Delivery(event, payload, "signal");
      } else {
        recordRejectedSignal(current.nodeId(), event, describe(problems));
      }
      return;
    }
    if (!knownEvents.contains(event)) {
      recordRejectedSignal(null, event, "nothing in this graph waits for it (events: " + knownEvents + ")");
      return;
    }
    Deque<JsonNode> queue = queued.computeIfAbsent(event, e -> new ArrayDeque<>());
    if (boundedQueues && queue.size() >= MAX_QUEUED) {
      recordRejectedSignal(null, event, "its queue is full (" + MAX_QUEUED + " signals wait for a node to take them)");
      return;
    }
    queue.addLast(payload);
  }

  private void validateUpdate(String event, EncodedValues args) {
    Waiting current = waiting;
    if (current == null || !current.event().equals(event) || delivered != null) {
      throw rejected(notWaiting(event));
    }
    JsonNode payload;
    try {
      payload = payloadOf(args);
    } catch (RuntimeException e) {
      throw rejected("update '" + event + "' rejected: the payload is not JSON");
    }
    List<Problem> problems = current.validator().validate(payload);
    if (!problems.isEmpty()) {
      throw rejected(
          "update '" + event + "' rejected: the payload does not match the schema of node '" + current.nodeId()
              + "': " + describe(problems));
    }
  }

  /** Runs only for accepted updates (also on replay, where validators are skipped). */
  private Object executeUpdate(String event, EncodedValues args) {
    Waiting current = waiting;
    if (current == null || !current.event().equals(event) || delivered != null) {
      // Two updates accepted in the same workflow task: the first one wins, this one fails.
      throw rejected(notWaiting(event));
    }
    delivered = new Delivery(event, payloadOf(args), "update");
    ObjectNode result = RunContext.JSON.createObjectNode();
    result.put("accepted", true);
    result.put("node", current.nodeId());
    return result;
  }

  private String notWaiting(String event) {
    Waiting current = waiting;
    if (current == null || delivered != null) {
      String at = state.currentNode() == null ? "" : " (it is at node '" + state.currentNode() + "')";
      return "update '" + event + "' rejected: the run is not waiting for any event" + at;
    }
    return "update '" + event + "' rejected: the run is waiting for '" + current.event() + "' at node '"
        + current.nodeId() + "', not for '" + event + "'";
  }

  private void recordRejectedSignal(String nodeId, String event, String reason) {
    String node = nodeId != null ? nodeId : state.currentNode();
    state.addRejectedSignal(
        new TraceEntry(
            state.steps() + 1,
            node,
            RunState.SIGNAL_KIND,
            node == null ? 0 : state.visits(node),
            Workflow.currentTimeMillis(),
            0,
            0,
            0,
            "rejected signal '" + event + "': " + reason,
            null));
  }

  private static JsonNode payloadOf(EncodedValues args) {
    if (args == null || args.getSize() == 0) {
      return NullNode.getInstance();
    }
    JsonNode payload = args.get(0, JsonNode.class);
    return payload == null ? NullNode.getInstance() : payload;
  }

  /** {@code /approved: expected boolean, got string; /comment: …} */
  static String describe(List<Problem> problems) {
    List<String> parts = new ArrayList<>();
    for (Problem problem : problems) {
      parts.add((problem.pointer().isEmpty() ? "(payload)" : problem.pointer()) + ": " + problem.message());
    }
    return parts.stream().collect(Collectors.joining("; "));
  }

  private static ApplicationFailure rejected(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.UPDATE_REJECTED);
  }
}
