package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Price;
import dev.agentflow.engine.llm.BilledCall;
import dev.agentflow.engine.llm.TokenUsage;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The one budget ledger of a run: its limits (the definition's run budget, the slice a parent run
 * gave it, each node's budget), what is reserved against them (the model call in flight, the
 * slices of child runs in flight), what was spent (the run's usage, per node too) and the raises a
 * human granted. Every model call and every child run goes through it.
 *
 * <ul>
 *   <li>A model call reserves its prompt estimate plus {@code maxTokens} ({@link #beforeCall});
 *       the reservation becomes what the provider billed when the call ends ({@link #afterCall},
 *       {@link #callFailed}), and is released when it is cancelled.
 *   <li>A child run (fan-out branch, subgraph) gets a slice of what is left after the slices of its
 *       running siblings ({@link #sliceForChild}); the children a fan-out starts at once share it
 *       evenly. When the child ends, its slice is released and what it reports it spent is counted
 *       ({@link #childEnded}), whether it succeeded, failed or was cancelled.
 * </ul>
 *
 * <p>So a run never spends more than its cap plus the estimate error of the calls in flight (what
 * they spend beyond their reservation). When a budget is exceeded its {@code onExceed} decides
 * ({@link #resolve}): {@code fail} raises a non-retryable BudgetExceeded naming the figures,
 * {@code route} jumps with {@code {budget: {…figures}}}, {@code ask} waits for the named signal or
 * update with {@code {addTokens?, addCostUsd?}} (or {@code {stop: true}}). A parent's slice always
 * fails: the parent, not the child, applies its budget's {@code onExceed}.
 *
 * <p>Runs recorded before the ledger (see {@link RunVersions#BUDGET_LEDGER}) keep their old
 * arithmetic: calls reserve {@code maxTokens} only and children get all that is left. Runs without
 * any budget never ask.
 */
final class BudgetLedger {

  /**
   * A share of a budget held by a model call or a child run of {@code nodeId} in flight (equal
   * reservations are interchangeable: releasing either leaves the same sums).
   */
  record Reservation(String nodeId, Spend amount) {}

  private final Budget runBudget;
  private final Budget parentLimit;
  private final boolean anyBudget;
  private final RunState state;
  private final RunVersions versions;
  private final Map<String, Spend> spentByNode = new TreeMap<>();
  private final BudgetRaises raised;
  private final List<Reservation> open = new ArrayList<>();
  private final ChildReports reports = new ChildReports();
  private Reservation call;
  private Boolean reserving;
  private boolean parentLimitExceeded;

  BudgetLedger(GraphDefinition graph, Budget parentLimit, RunState state, Inbox inbox, RunVersions versions) {
    this.runBudget = graph == null ? null : graph.budget();
    this.parentLimit = parentLimit;
    this.anyBudget = runBudget != null || parentLimit != null
        || (graph != null && graph.nodes().values().stream().anyMatch(node -> node.budget() != null));
    this.state = state;
    this.raised = new BudgetRaises(inbox);
    this.versions = versions;
  }

  /** Whether this run reserves estimates and slices (false: no budget, or recorded before the ledger). */
  boolean reserving() {
    if (reserving == null) {
      reserving = anyBudget && versions.budgetLedger();
    }
    return reserving;
  }

  /** Whether the run failed because it used up the slice its parent gave it. */
  boolean parentLimitExceeded() {
    return parentLimitExceeded;
  }

  // --- model calls ----------------------------------------------------------------------------

  /**
   * Before a model call of {@code node}: reserves {@code promptTokens + maxTokens} and returns null
   * to go ahead, or the jump of a {@code route} budget; blocks while asking; throws on {@code fail}.
   */
  NodeOutcome.Jump beforeCall(LlmNode node, long promptTokens, long maxTokens, Price price) {
    Spend estimate = reserving()
        ? new Spend(promptTokens + maxTokens, cost(price, promptTokens, maxTokens))
        : new Spend(maxTokens, cost(price, 0, maxTokens));
    NodeOutcome.Jump jump = check(node, BudgetBreach.Moment.BEFORE_CALL, estimate);
    if (jump == null && reserving()) {
      call = reserve(node.id(), estimate);
    }
    return jump;
  }

  /** After a model call of {@code node}: counts what it spent, then checks as {@link #beforeCall}, after the fact. */
  NodeOutcome.Jump afterCall(LlmNode node, TokenUsage usage, Double costUsd) {
    release(call);
    call = null;
    count(node, usage, costUsd);
    return check(node, BudgetBreach.Moment.AFTER_CALL, Spend.ZERO);
  }

  /** Checks {@code node}'s budgets until none is exceeded (an ask may raise one), or one routes or fails. */
  private NodeOutcome.Jump check(LlmNode node, BudgetBreach.Moment moment, Spend asking) {
    while (true) {
      BudgetBreach breach = firstBreach(caps(node.id(), node.budget()), node.id(), moment, asking);
      if (breach == null) {
        return null;
      }
      NodeOutcome.Jump jump = resolve(breach);
      if (jump != null) {
        return jump;
      }
    }
  }

  /** A model call of {@code node} failed or was cancelled: counts what the provider billed for it, if anything. */
  void callFailed(LlmNode node, BilledCall billed) {
    release(call);
    call = null;
    if (billed != null && billed.usage() != null) {
      count(node, billed.usage(), billed.costUsd());
    }
  }

  private void count(LlmNode node, TokenUsage usage, Double costUsd) {
    state.addUsage(node.model(), usage, costUsd);
    spentByNode.merge(node.id(), Spend.of(usage, costUsd), Spend::plus);
  }

  /** The budgets that bound what node {@code nodeId} spends: its own, the run's, the parent's slice. */
  private List<BudgetCap> caps(String nodeId, Budget nodeBudget) {
    return List.of(
        new BudgetCap(new BudgetScope.OfNode(nodeId), nodeBudget),
        new BudgetCap(BudgetScope.RUN, runBudget),
        new BudgetCap(BudgetScope.PARENT, parentLimit));
  }

  private static double cost(Price price, long inputTokens, long outputTokens) {
    return price == null ? 0 : price.costUsd(inputTokens, outputTokens);
  }

  // --- child runs -----------------------------------------------------------------------------

  /**
   * The slice for a child run of {@code nodeId} (whose own budget is {@code nodeBudget}, may be
   * null): what is left after the slices of the running children, divided among the {@code
   * sharers} children starting now. {@code spentByNodeVisit} is what the node's children spent in
   * this visit (runs recorded before the ledger limited a fan-out's children by that).
   */
  ChildSlice sliceForChild(String nodeId, Budget nodeBudget, int sharers, Spend spentByNodeVisit) {
    if (!reserving()) {
      Budget limit = ChildRuns.tighter(LegacyChildLimit.ofNode(nodeBudget, spentByNodeVisit), remaining());
      return new ChildSlice(limit, null, null, null);
    }
    Long tokens = null;
    Double cost = null;
    BudgetScope binding = null;
    for (BudgetCap cap : caps(nodeId, nodeBudget)) {
      if (cap.budget() == null) {
        continue;
      }
      Spend left = left(cap);
      Spend reserved = reservedAgainst(cap.scope());
      if (cap.budget().maxTokens() != null) {
        if (left.tokens() <= 0) {
          return exhausted(cap, nodeId, "tokens", reserved);
        }
        long share = Math.max(1, left.tokens() / Math.max(1, sharers));
        if (tokens == null || share < tokens) {
          tokens = share;
          binding = cap.scope();
        }
      }
      if (cap.budget().maxCostUsd() != null) {
        if (left.costUsd() <= 0) {
          return exhausted(cap, nodeId, "cost", reserved);
        }
        double share = left.costUsd() / Math.max(1, sharers);
        if (cost == null || share < cost) {
          cost = share;
          binding = tokens == null || binding == null ? cap.scope() : binding;
        }
      }
    }
    if (tokens == null && cost == null) {
      return ChildSlice.UNLIMITED;
    }
    Reservation reservation = reserve(nodeId, new Spend(tokens == null ? 0 : tokens, cost == null ? 0 : cost));
    return new ChildSlice(new Budget(tokens, cost, Budget.OnExceed.FAIL), reservation, binding, null);
  }

  private ChildSlice exhausted(BudgetCap cap, String nodeId, String dimension, Spend reserved) {
    return new ChildSlice(null, null, cap.scope(),
        breach(cap, nodeId, BudgetBreach.Moment.BEFORE_CHILD, dimension, reserved));
  }

  /**
   * A child run of {@code nodeId} ended: releases its slice and counts what it reports it spent
   * (null when it could not say, e.g. it was terminated).
   */
  void childEnded(ChildSlice slice, String nodeId, UsageSummary usage) {
    if (slice != null) {
      release(slice.reservation());
    }
    if (usage != null) {
      state.addChildUsage(usage);
      spentByNode.merge(nodeId, Spend.of(usage), Spend::plus);
    }
  }

  /** What cancelled children signal they spent, for {@link #childEnded} to count. */
  ChildReports childReports() {
    return reports;
  }

  /**
   * A child run (of fan-out {@code branch}, null for a subgraph) failed because it used up its
   * slice: the budget the slice came from is exceeded.
   */
  BudgetBreach childRanOut(ChildSlice slice, String nodeId, String branch, Budget nodeBudget) {
    for (BudgetCap cap : caps(nodeId, nodeBudget)) {
      if (cap.scope().equals(slice.binding())) {
        String dimension = cap.budget().maxTokens() != null ? "tokens" : "cost";
        return breach(cap, nodeId, branch, BudgetBreach.Moment.CHILD_RAN_OUT, dimension, Spend.ZERO);
      }
    }
    return null;
  }

  /**
   * What is left of the run-wide budgets (the run's own and its parent's slice, with raises), as a
   * budget for a child run; null when the run has no run-wide budget. How runs recorded before the
   * ledger sized a child's limit.
   */
  Budget remaining() {
    return LegacyChildLimit.remaining(runBudget, raised.of(BudgetScope.RUN), parentLimit,
        raised.of(BudgetScope.PARENT), runSpend());
  }

  // --- breaches -------------------------------------------------------------------------------

  /**
   * Applies the breached budget's {@code onExceed}: throws BudgetExceeded on {@code fail}, returns
   * the jump on {@code route}, and on {@code ask} waits for the answer and returns null (the caller
   * checks again: the raise may not be enough).
   */
  NodeOutcome.Jump resolve(BudgetBreach breach) {
    switch (breach.onExceed().action()) {
      case "route":
        return breach.jump(breach.toJson());
      case "ask":
        ask(breach);
        return null;
      default:
        throw fail(breach, "");
    }
  }

  /** The BudgetExceeded failure of {@code breach}; remembers when the parent's slice ran out. */
  RuntimeException fail(BudgetBreach breach, String suffix) {
    if (breach.scope() instanceof BudgetScope.Parent) {
      parentLimitExceeded = true;
    }
    return breach.failure(suffix);
  }

  /** Waits for the answer to an {@code ask} budget: raises the cap, or fails on {@code stop}. */
  void ask(BudgetBreach breach) {
    String stopped = raised.ask(breach);
    if (stopped != null) {
      throw fail(breach, stopped);
    }
  }

  private BudgetBreach firstBreach(List<BudgetCap> caps, String nodeId, BudgetBreach.Moment moment, Spend asking) {
    for (BudgetCap cap : caps) {
      if (cap.budget() == null) {
        continue;
      }
      Spend spent = spentBy(cap.scope());
      Spend reserved = reservedAgainst(cap.scope()).plus(asking);
      Spend raise = raised.of(cap.scope());
      Long tokenLimit = cap.tokenLimit(raise);
      if (tokenLimit != null) {
        long limit = tokenLimit;
        boolean over = moment.before()
            ? spent.tokens() >= limit || spent.tokens() + reserved.tokens() > limit
            : spent.tokens() > limit;
        if (over) {
          return breach(cap, nodeId, moment, "tokens", reserved);
        }
      }
      Double costLimit = cap.costLimit(raise);
      if (costLimit != null) {
        double limit = costLimit;
        boolean over = moment.before()
            ? spent.costUsd() >= limit || spent.costUsd() + reserved.costUsd() > limit
            : spent.costUsd() > limit;
        if (over) {
          return breach(cap, nodeId, moment, "cost", reserved);
        }
      }
    }
    return null;
  }

  private BudgetBreach breach(BudgetCap cap, String nodeId, BudgetBreach.Moment moment, String dimension, Spend reserved) {
    return breach(cap, nodeId, null, moment, dimension, reserved);
  }

  private BudgetBreach breach(
      BudgetCap cap, String nodeId, String branch, BudgetBreach.Moment moment, String dimension, Spend reserved) {
    Spend raise = raised.of(cap.scope());
    return new BudgetBreach(cap.scope(), onExceedOf(cap), nodeId, branch, moment, dimension, spentBy(cap.scope()),
        moment.before() ? reserved : Spend.ZERO, cap.tokenLimit(raise), cap.costLimit(raise));
  }

  /** A parent's slice always fails (the parent applies its own budget's onExceed), except in old runs. */
  private Budget.OnExceed onExceedOf(BudgetCap cap) {
    Budget.OnExceed onExceed = cap.budget().onExceed();
    if (onExceed == null || (cap.scope() instanceof BudgetScope.Parent && reserving())) {
      return Budget.OnExceed.FAIL;
    }
    return onExceed;
  }

  // --- arithmetic -----------------------------------------------------------------------------

  private Spend left(BudgetCap cap) {
    Spend raise = raised.of(cap.scope());
    Long tokens = cap.tokenLimit(raise);
    Double cost = cap.costLimit(raise);
    return new Spend(tokens == null ? 0 : tokens, cost == null ? 0 : cost)
        .minus(spentBy(cap.scope())).minus(reservedAgainst(cap.scope()));
  }

  private Spend spentBy(BudgetScope scope) {
    if (scope instanceof BudgetScope.OfNode node) {
      return spentByNode.getOrDefault(node.nodeId(), Spend.ZERO);
    }
    return runSpend();
  }

  private Spend reservedAgainst(BudgetScope scope) {
    Spend reserved = Spend.ZERO;
    for (Reservation reservation : open) {
      if (!(scope instanceof BudgetScope.OfNode node) || node.nodeId().equals(reservation.nodeId())) {
        reserved = reserved.plus(reservation.amount());
      }
    }
    return reserved;
  }

  private Spend runSpend() {
    return Spend.of(state.usage());
  }

  private Reservation reserve(String nodeId, Spend amount) {
    Reservation reservation = new Reservation(nodeId, amount);
    open.add(reservation);
    return reservation;
  }

  private void release(Reservation reservation) {
    if (reservation != null) {
      open.remove(reservation);
    }
  }

  // --- continue-as-new ------------------------------------------------------------------------

  /** What continue-as-new must carry: spending per node and raises granted so far (nothing is in flight then). */
  JsonNode carry() {
    ObjectNode carried = JsonNodeFactory.instance.objectNode();
    ObjectNode byNode = carried.putObject("byNode");
    spentByNode.forEach((node, spend) -> byNode.set(node, spend.toJson()));
    carried.set("raised", raised.carry());
    return carried;
  }

  /** Takes over what a previous run carried across continue-as-new. */
  void restore(JsonNode carried) {
    if (carried == null || carried.isNull()) {
      return;
    }
    carried.path("byNode").fields().forEachRemaining(e -> spentByNode.put(e.getKey(), Spend.fromJson(e.getValue())));
    raised.restore(carried.path("raised"));
  }
}
