package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.FanOut;
import dev.agentflow.dsl.SubgraphRef;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs fan-out branches as child workflows with a concurrency bound, a join condition and a
 * timeout. Children are started in branch order, at most {@link #MAX_PENDING_CHILDREN} (and at most
 * {@code maxConcurrency}) at a time; once the join is satisfied, the timeout fires, or a branch fails
 * with {@code onBranchError: fail}, the rest are cancelled. Results keep branch order. When the
 * history grows long the fan-out drains and continues as new ({@link FanOutContinuation}).
 */
final class FanOutRunner {

  /** Temporal allows 2,000 pending children per workflow; stay well below it. */
  static final int MAX_PENDING_CHILDREN = 500;

  private FanOutRunner() {}

  /** One branch to run. */
  record Branch(String key, SubgraphRef graph, JsonNode input) {}

  /**
   * What happened to every branch.
   *
   * @param results per branch, in branch order: the child's output, or {@code {"$status": failed|cancelled|notStarted, …}}
   * @param failures per branch key that failed: its error
   * @param peakConcurrency most children pending at once
   */
  record Outcome(
      List<JsonNode> results,
      int succeeded,
      int failed,
      int cancelled,
      boolean timedOut,
      boolean joinSatisfied,
      Map<String, ObjectNode> failures,
      int peakConcurrency) {}

  static Outcome run(String nodeId, int visit, List<Branch> branches, FanOut fanOut, Budget nodeBudget, RunContext context) {
    int total = branches.size();
    // With collected errors, "all" means every branch finished, failed ones included.
    boolean allFinish = fanOut.collectErrors() && "all".equals(fanOut.join().mode());
    int needed = fanOut.join().needed(total);
    int limit = Math.max(1, Math.min(fanOut.maxConcurrency(), MAX_PENDING_CHILDREN));
    FanOutContinuation continuation = new FanOutContinuation(context, nodeId, visit, branches);
    FanOutProgress progress = continuation.start(fanOut.timeout());
    Map<Integer, ChildRuns.Started> pending = new TreeMap<>();
    boolean draining = false;
    boolean timedOut = false;

    CancellationScope timerScope = null;
    Promise<Void>[] timer = newTimerHolder();
    if (fanOut.timeout() != null) {
      Duration timeout = progress.timerDuration(fanOut.timeout());
      timerScope = Workflow.newCancellationScope(() -> timer[0] = Workflow.newTimer(timeout));
      timerScope.run();
    }

    while (allFinish ? progress.succeeded() + progress.failed() < total : progress.succeeded() < needed) {
      while (!draining && pending.size() < limit && !progress.allStarted()) {
        Branch branch = branches.get(progress.next());
        Budget childLimit =
            ChildRuns.tighter(remainingOf(nodeBudget, progress.tokens(), progress.costUsd()), context.budget().remaining());
        pending.put(
            progress.startNext(),
            ChildRuns.start(ChildRuns.childId(nodeId, visit, branch.key()), branch.graph(), branch.input(), childLimit));
      }
      progress.notePending(pending.size());
      if (!allFinish && progress.succeeded() + pending.size() + (total - progress.next()) < needed) {
        break;
      }
      if (pending.isEmpty()) {
        if (draining) {
          cancelTimer(timerScope, timer);
          continuation.continueAsNew(progress);
        }
        break;
      }
      List<Promise<?>> waitOn = new ArrayList<>();
      pending.values().forEach(started -> waitOn.add(started.result()));
      if (timer[0] != null) {
        waitOn.add(timer[0]);
      }
      Promise.anyOf(waitOn.toArray(new Promise<?>[0])).exceptionally(failure -> null).get();
      for (Integer index : new ArrayList<>(pending.keySet())) {
        ChildRuns.Started started = pending.get(index);
        if (!started.result().isCompleted()) {
          continue;
        }
        pending.remove(index);
        RuntimeException failure = started.result().getFailure();
        if (failure == null) {
          RunResult result = started.result().get();
          context.state().addChildUsage(result.usage());
          progress.succeeded(index, result);
        } else {
          ObjectNode error = errorOf(failure);
          progress.failed(index, branches.get(index).key(), error);
          if (!fanOut.collectErrors()) {
            cancelAll(pending);
            cancelTimer(timerScope, timer);
            throw ApplicationFailure.newNonRetryableFailureWithCause(
                "node '" + nodeId + "': branch '" + branches.get(index).key() + "' failed: " + error.path("message").asText(),
                error.path("type").asText(FailureTypes.BRANCH_FAILED),
                failure);
          }
        }
      }
      boolean done = allFinish ? progress.succeeded() + progress.failed() == total : progress.succeeded() >= needed;
      if (!done && timer[0] != null && timer[0].isCompleted()) {
        timedOut = true;
        break;
      }
      // Drain then continue: start no more children, let the pending ones finish, then continue as new.
      draining = draining || (!done && !progress.allStarted() && continuation.due());
    }
    int cancelled = pending.size();
    for (Integer index : pending.keySet()) {
      progress.unfinished(index, "cancelled");
    }
    cancelAll(pending);
    cancelTimer(timerScope, timer);
    for (int index = 0; index < total; index++) {
      if (!progress.hasResult(index)) {
        progress.unfinished(index, "notStarted");
      }
    }
    boolean satisfied = allFinish ? progress.succeeded() + progress.failed() == total : progress.succeeded() >= needed;
    return new Outcome(
        progress.results(),
        progress.succeeded(),
        progress.failed(),
        cancelled,
        timedOut,
        satisfied,
        progress.failures(),
        progress.peak());
  }

  private static Budget remainingOf(Budget nodeBudget, long tokens, double cost) {
    if (nodeBudget == null) {
      return null;
    }
    Long leftTokens = nodeBudget.maxTokens() == null ? null : Math.max(0, nodeBudget.maxTokens() - tokens);
    Double leftCost = nodeBudget.maxCostUsd() == null ? null : Math.max(0, nodeBudget.maxCostUsd() - cost);
    return new Budget(leftTokens, leftCost, Budget.OnExceed.FAIL);
  }

  /** Requests cancellation of every pending child; they end as cancelled, their results unused. */
  private static void cancelAll(Map<Integer, ChildRuns.Started> pending) {
    pending.values().forEach(started -> started.scope().cancel("the fan-out no longer needs this branch"));
  }

  private static void cancelTimer(CancellationScope timerScope, Promise<Void>[] timer) {
    if (timerScope != null && timer[0] != null && !timer[0].isCompleted()) {
      timerScope.cancel();
    }
  }

  static ObjectNode errorOf(RuntimeException failure) {
    ObjectNode error = RunContext.JSON.createObjectNode();
    Throwable cause = failure;
    while (cause instanceof ChildWorkflowFailure && cause.getCause() != null) {
      cause = cause.getCause();
    }
    if (cause instanceof ApplicationFailure application) {
      error.put("type", application.getType());
      error.put("message", application.getOriginalMessage());
    } else if (cause instanceof CanceledFailure) {
      error.put("type", "Cancelled");
      error.put("message", "the branch was cancelled");
    } else if (cause instanceof TemporalFailure temporal) {
      error.put("type", cause.getClass().getSimpleName().replace("Failure", ""));
      error.put("message", temporal.getOriginalMessage());
    } else {
      error.put("type", FailureTypes.BRANCH_FAILED);
      error.put("message", String.valueOf(cause.getMessage()));
    }
    return error;
  }

  @SuppressWarnings("unchecked")
  private static Promise<Void>[] newTimerHolder() {
    return (Promise<Void>[]) new Promise<?>[1];
  }
}
