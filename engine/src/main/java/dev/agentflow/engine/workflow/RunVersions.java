package dev.agentflow.engine.workflow;

import io.temporal.workflow.Workflow;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@link Workflow#getVersion} guards of interpreter changes that alter the commands a run
 * emits. Each is asked at most once per run, and only when the run reaches the behaviour it
 * guards: a run that never does records no marker, and a history recorded before a change replays
 * on the old path (its marker is missing, so the version is the default).
 *
 * <ul>
 *   <li>{@link #BUDGET_LEDGER}: model calls reserve their prompt estimate as well as {@code
 *       maxTokens}; a fan-out or subgraph gives each child a slice of what is left, waits for
 *       running children to return their unused part, and applies its budget's {@code onExceed}.
 *       Asked by runs with a budget.
 *   <li>{@link #CANCELLATION}: model and tool calls heartbeat and are awaited when cancelled,
 *       children are awaited when cancelled, a cancelled run ends with a cancellation entry in its
 *       trace (never an {@code onError} route), and a child reports its usage to its parent when it
 *       fails or is cancelled. Asked before a run's first model or tool call or child, or when it
 *       ends, whichever comes first.
 *   <li>{@link #SCHEMA_REPAIR}: a reply that does not match the output schema comes back to the
 *       node, counted, and the model is asked again with the errors. Asked before the first call
 *       of a node with an output schema.
 *   <li>{@link #FAN_OUT_OUTCOMES}: {@code join: all} with collected errors fails when no branch
 *       succeeded; {@code atLeast} above a map's item count fails the node; messages name a
 *       terminated child's reason and write durations as the DSL does. Asked when a run meets one
 *       of these cases.
 *   <li>{@link #LIVE_EVENTS}: the run keeps its live events ({@link RunEvents}), carries them across
 *       continue-as-new and keeps its current details up to date. Asked when a run starts.
 *   <li>{@link #CHILD_NAMES}: child runs get ids that start with their parent's id and name the
 *       node, visit and branch ({@link ChildNames}), and a static summary and details. Asked before
 *       a run's first child.
 *   <li>{@link #ADMISSION_WAIT}: a model call's StartToClose timeout is its model timeout plus
 *       {@code ActivityOptionsFactory.ADMISSION_ALLOWANCE}, the time it may wait for its pool's
 *       per-minute capacity before it is sent (the model timeout still bounds the call itself).
 *       Asked before a run's first model call.
 * </ul>
 */
final class RunVersions {

  static final String BUDGET_LEDGER = "budget-ledger";
  static final String CANCELLATION = "cancellation";
  static final String SCHEMA_REPAIR = "schema-repair";
  static final String FAN_OUT_OUTCOMES = "fan-out-outcomes";
  static final String LIVE_EVENTS = "live-events";
  static final String CHILD_NAMES = "child-names";
  static final String ADMISSION_WAIT = "admission-wait";

  private final Map<String, Boolean> answers = new TreeMap<>();
  private final Boolean fixed;

  /** Asks Temporal, in a workflow. */
  RunVersions() {
    this(null);
  }

  private RunVersions(Boolean fixed) {
    this.fixed = fixed;
  }

  /** Answers {@code latest} without asking: for the interpreter's parts used outside a workflow (tests). */
  static RunVersions fixed(boolean latest) {
    return new RunVersions(latest);
  }

  /** Whether this run keeps one budget ledger with reservations and child slices. */
  boolean budgetLedger() {
    return ask(BUDGET_LEDGER);
  }

  /** Whether this run tells cancellation apart from failure and reports child usage. */
  boolean cancellation() {
    return ask(CANCELLATION);
  }

  /** Whether this run repairs replies that do not match their output schema. */
  boolean schemaRepair() {
    return ask(SCHEMA_REPAIR);
  }

  /** Whether this run applies the fan-out outcome fixes (join, atLeast, messages). */
  boolean fanOutOutcomes() {
    return ask(FAN_OUT_OUTCOMES);
  }

  /** Whether this run keeps live events and current details. */
  boolean liveEvents() {
    return ask(LIVE_EVENTS);
  }

  /** Whether this run names its children after itself and describes them. */
  boolean childNames() {
    return ask(CHILD_NAMES);
  }

  /** Whether this run's model calls may wait for their pool's capacity on top of their timeout. */
  boolean admissionWait() {
    return ask(ADMISSION_WAIT);
  }

  private boolean ask(String changeId) {
    if (fixed != null) {
      return fixed;
    }
    return answers.computeIfAbsent(
        changeId, id -> Workflow.getVersion(id, Workflow.DEFAULT_VERSION, 1) >= 1);
  }
}
