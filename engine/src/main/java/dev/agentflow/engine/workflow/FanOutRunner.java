package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.FanOut;
import dev.agentflow.dsl.SubgraphRef;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs fan-out branches as child workflows with a concurrency bound, a join condition, a timeout
 * and a budget. Children are started in branch order, at most {@link #MAX_PENDING_CHILDREN} (and at
 * most {@code maxConcurrency}) at a time, each with a slice of what is left of the budgets that
 * apply ({@link BudgetLedger#sliceForChild}); when nothing is left, the fan-out waits for running
 * children to return what they did not use, and once none runs, the budget's {@code onExceed}
 * decides (fail, route with the partial results, or ask and go on). Once the join is satisfied, the
 * timeout fires or a branch fails with {@code onBranchError: fail}, the rest are cancelled and
 * awaited, so what they spent is counted. Results keep branch order. When the history grows long
 * the fan-out drains and continues as new ({@link FanOutContinuation}). A cancelled run cancels
 * and awaits its children and ends cancelled: a cancellation is never a timeout or a failed branch.
 */
final class FanOutRunner {

  /** Temporal allows 2,000 pending children per workflow; stay well below it. */
  static final int MAX_PENDING_CHILDREN = 500;

  /** One branch to run. */
  record Branch(String key, SubgraphRef graph, JsonNode input) {}

  /**
   * What happened to every branch.
   *
   * @param results per branch, in branch order: the child's output, or {@code {"$status": failed|cancelled|notStarted, …}}
   * @param failures per branch key that failed: its error
   * @param peakConcurrency most children pending at once
   * @param routed the budget whose {@code onExceed: route} ended the fan-out, or null
   */
  record Outcome(
      List<JsonNode> results,
      int succeeded,
      int failed,
      int cancelled,
      boolean timedOut,
      boolean joinSatisfied,
      Map<String, ObjectNode> failures,
      int peakConcurrency,
      BudgetBreach routed) {}

  private final String nodeId;
  private final int visit;
  private final List<Branch> branches;
  private final FanOut fanOut;
  private final Budget nodeBudget;
  private final BudgetLedger ledger;
  private final RunVersions versions;
  private final boolean awaitCancelled;
  private final FanOutContinuation continuation;
  private final RunContext context;
  private final String kind;
  private String reported = "";
  private final Map<Integer, ChildRuns.Started> pending = new TreeMap<>();
  private final Deque<Integer> retry = new ArrayDeque<>();
  private FanOutProgress progress;
  private CancellationScope timerScope;
  private Promise<Void> timer;

  private FanOutRunner(String nodeId, int visit, List<Branch> branches, FanOut fanOut, Budget nodeBudget, RunContext context) {
    this.nodeId = nodeId;
    this.visit = visit;
    this.branches = branches;
    this.fanOut = fanOut;
    this.nodeBudget = nodeBudget;
    this.ledger = context.budget();
    this.versions = context.versions();
    this.awaitCancelled = versions.cancellation();
    this.continuation = new FanOutContinuation(context, nodeId, visit, branches);
    this.context = context;
    this.kind = context.graph().nodes().containsKey(nodeId) ? context.graph().node(nodeId).kind() : "fan-out";
  }

  static Outcome run(String nodeId, int visit, List<Branch> branches, FanOut fanOut, Budget nodeBudget, RunContext context) {
    return new FanOutRunner(nodeId, visit, branches, fanOut, nodeBudget, context).run();
  }

  private Outcome run() {
    int total = branches.size();
    FanOutJoin join = new FanOutJoin(nodeId, fanOut, total, versions);
    int limit = Math.max(1, Math.min(fanOut.maxConcurrency(), MAX_PENDING_CHILDREN));
    progress = continuation.start(fanOut.timeout());
    startTimer();
    boolean draining = false;
    boolean timedOut = false;
    BudgetBreach routed = null;
    try {
      while (!join.done(progress)) {
        routed = startChildren(limit, draining);
        if (routed != null) {
          break;
        }
        progress.notePending(pending.size());
        reportProgress();
        if (join.unreachable(progress, pending.size() + retry.size())) {
          break;
        }
        if (pending.isEmpty()) {
          if (draining) {
            cancelTimer();
            continuation.continueAsNew(progress);
          }
          break;
        }
        awaitAnyChildOrTimer();
        if (awaitCancelled && CancellationScope.current().isCancelRequested()) {
          throw new CanceledFailure("the run was cancelled");
        }
        routed = collectEnded();
        reportProgress();
        if (routed != null) {
          break;
        }
        boolean done = join.done(progress);
        if (!done && timer != null && timer.isCompleted()) {
          timedOut = true;
          break;
        }
        // Drain then continue: start no more children, let the pending ones finish, then continue as new.
        draining = draining || (!done && !progress.allStarted() && retry.isEmpty() && continuation.due());
      }
    } catch (RuntimeException e) {
      if (awaitCancelled) {
        cancelAndAwaitPending();
        cancelTimer();
      }
      throw e;
    }
    int cancelled = cancelAndAwaitPending();
    cancelTimer();
    reportProgress();
    for (int index = 0; index < total; index++) {
      if (!progress.hasResult(index)) {
        progress.unfinished(index, "notStarted");
      }
    }
    return new Outcome(
        progress.results(),
        progress.succeeded(),
        progress.failed(),
        cancelled,
        timedOut,
        join.satisfied(progress),
        progress.failures(),
        progress.peak(),
        routed);
  }

  /**
   * Starts children while there is room, each with its slice of the budget. Returns the budget that
   * routes the node elsewhere, or null.
   */
  private BudgetBreach startChildren(int limit, boolean draining) {
    while (pending.size() < limit && (!retry.isEmpty() || (!draining && !progress.allStarted()))) {
      int sharers = Math.min(limit - pending.size(), retry.size() + branches.size() - progress.next());
      ChildSlice slice = ledger.sliceForChild(nodeId, nodeBudget, sharers, progress.spend());
      if (slice.exhausted() != null) {
        if (!pending.isEmpty()) {
          return null; // wait for running children to give back what they do not use
        }
        if (decide(slice.exhausted())) {
          return slice.exhausted();
        }
        continue; // a human raised the budget: slice again
      }
      int index = retry.isEmpty() ? progress.startNext() : retry.removeFirst();
      Branch branch = branches.get(index);
      ChildNames.Name name = ChildNames.of(context, nodeId, kind, visit, branch.key(), branch.graph());
      pending.put(index, ChildRuns.start(name, branch.graph(), branch.input(), slice, awaitCancelled, ledger));
      context.state().events().childStarted(nodeId, branch.key(), name.workflowId());
    }
    return null;
  }

  /** Reads every child that has ended. Returns the budget that routes the node elsewhere, or null. */
  private BudgetBreach collectEnded() {
    for (Integer index : new ArrayList<>(pending.keySet())) {
      ChildRuns.Started started = pending.get(index);
      if (!started.result().isCompleted()) {
        continue;
      }
      pending.remove(index);
      ChildRuns.Ended end = ChildRuns.end(nodeId, started, ledger, versions);
      progress.spent(end.usage());
      if (end.succeeded()) {
        progress.succeeded(index, end.result());
        continue;
      }
      String key = branches.get(index).key();
      BudgetBreach breach = end.ranOutOfSlice() && ledger.reserving()
          ? ledger.childRanOut(started.slice(), nodeId, key, nodeBudget) : null;
      if (breach != null && "ask".equals(breach.onExceed().action())) {
        ledger.ask(breach);
        retry.addLast(index); // the branch runs again with a slice of the raised budget
        continue;
      }
      progress.failed(index, key, end.error());
      if (breach != null) {
        if (decide(breach)) {
          return breach;
        }
        continue;
      }
      if (!fanOut.collectErrors()) {
        if (!awaitCancelled) {
          cancelPending();
          cancelTimer();
        }
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            "node '" + nodeId + "': branch '" + key + "' failed: " + end.error().path("message").asText(),
            end.error().path("type").asText(FailureTypes.BRANCH_FAILED),
            end.failure());
      }
    }
    return null;
  }

  /** A {@code fanout.progress} event when the counts changed since the last one. */
  private void reportProgress() {
    String counts = progress.succeeded() + "/" + pending.size() + "/" + progress.failed();
    if (!counts.equals(reported)) {
      reported = counts;
      context.state().events().fanOutProgress(nodeId, progress.succeeded(), pending.size(), progress.failed(),
          branches.size());
    }
  }

  /** Applies a breached budget: true to route, false to go on after a raise; throws on fail. */
  private boolean decide(BudgetBreach breach) {
    switch (breach.onExceed().action()) {
      case "route":
        return true;
      case "ask":
        ledger.ask(breach);
        return false;
      default:
        throw ledger.fail(breach, "");
    }
  }

  private void awaitAnyChildOrTimer() {
    List<Promise<?>> waitOn = new ArrayList<>();
    pending.values().forEach(started -> waitOn.add(started.result()));
    if (timer != null) {
      waitOn.add(timer);
    }
    Promise.anyOf(waitOn.toArray(new Promise<?>[0])).exceptionally(failure -> null).get();
  }

  /**
   * Cancels every pending child and, for runs that await cancellations, waits until each has ended
   * and counts what it spent. Marks each as cancelled (or keeps its result when it finished first).
   * Returns how many were cancelled.
   */
  private int cancelAndAwaitPending() {
    cancelPending();
    int cancelled = 0;
    for (Map.Entry<Integer, ChildRuns.Started> entry : pending.entrySet()) {
      int index = entry.getKey();
      if (awaitCancelled) {
        ChildRuns.Ended end = ChildRuns.end(nodeId, entry.getValue(), ledger, versions);
        progress.spent(end.usage());
        if (end.succeeded()) {
          progress.succeeded(index, end.result());
          continue;
        }
      }
      progress.unfinished(index, "cancelled");
      cancelled++;
    }
    pending.clear();
    return cancelled;
  }

  private void cancelPending() {
    pending.values().forEach(started -> started.scope().cancel("the fan-out no longer needs this branch"));
  }

  private void startTimer() {
    if (fanOut.timeout() == null) {
      return;
    }
    Duration timeout = progress.timerDuration(fanOut.timeout());
    timerScope = Workflow.newCancellationScope(() -> timer = Workflow.newTimer(timeout));
    timerScope.run();
  }

  private void cancelTimer() {
    if (timerScope != null && timer != null && !timer.isCompleted()) {
      timerScope.cancel();
    }
  }
}
