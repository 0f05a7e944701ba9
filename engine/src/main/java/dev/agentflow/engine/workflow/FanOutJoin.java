package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.FanOut;
import io.temporal.failure.ApplicationFailure;

/**
 * When a fan-out is done and whether its join holds: {@code all} needs every branch to succeed;
 * {@code all} with {@code onBranchError: collect} needs every branch to finish and at least one of
 * them to succeed; {@code any} needs one success and {@code {atLeast: n}} n successes. A map whose
 * items are fewer than {@code n} fails before it starts a child (a parallel node with fewer
 * branches is rejected when the definition loads).
 */
final class FanOutJoin {

  private final int total;
  private final boolean allFinish;
  private final int needed;
  private final RunVersions versions;

  FanOutJoin(String nodeId, FanOut fanOut, int total, RunVersions versions) {
    this.total = total;
    this.versions = versions;
    this.allFinish = fanOut.collectErrors() && "all".equals(fanOut.join().mode());
    this.needed = fanOut.join().needed(total);
    int count = fanOut.join().count();
    if ("atLeast".equals(fanOut.join().mode()) && count > total && versions.fanOutOutcomes()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + nodeId + "': join {atLeast: " + count + "} needs " + count + " successful branches, but there "
              + (total == 1 ? "is 1 branch" : "are " + total + " branches"),
          FailureTypes.JOIN_NOT_SATISFIED);
    }
  }

  /** Whether every branch the join waits for has finished. */
  boolean done(FanOutProgress progress) {
    return allFinish ? progress.succeeded() + progress.failed() >= total : progress.succeeded() >= needed;
  }

  /** Whether the join can no longer hold, with {@code unfinished} started branches still to finish. */
  boolean unreachable(FanOutProgress progress, int unfinished) {
    return !allFinish && progress.succeeded() + unfinished + (total - progress.next()) < needed;
  }

  /** Whether the join holds now. */
  boolean satisfied(FanOutProgress progress) {
    if (!allFinish) {
      return progress.succeeded() >= needed;
    }
    boolean finished = progress.succeeded() + progress.failed() == total;
    if (finished && total > 0 && progress.succeeded() == 0 && versions.fanOutOutcomes()) {
      return false; // every branch failed: "all" with collected errors still needs one success
    }
    return finished;
  }
}
