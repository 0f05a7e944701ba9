package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;

/**
 * Continue-as-new in the middle of a fan-out, "drain then continue": once the history is long
 * enough, the fan-out starts no more children and lets the pending ones finish as usual (results,
 * failures, join, timeout); if it is still not done, the run continues as new carrying the
 * fan-out's {@link FanOutProgress}, and the next run resumes inside the node at the next branch. No
 * branch runs twice and none is skipped: the next run recomputes the branch list from the same
 * state and refuses to go on if it differs. Results too large to carry go to the blob store and
 * come back through an activity.
 *
 * <p>Runs recorded before this existed never drained a fan-out: the path is guarded by {@link
 * Workflow#getVersion}, asked only when continue-as-new is due during a fan-out, so other histories
 * do not change at all.
 */
final class FanOutContinuation {

  /** The {@link Workflow#getVersion} change id of the drain-then-continue path. */
  static final String CHANGE_ID = "fan-out-continue-as-new";

  private final Continuation continuation;
  private final RunState state;
  private final String nodeId;
  private final int visit;
  private final List<FanOutRunner.Branch> branches;

  FanOutContinuation(RunContext context, String nodeId, int visit, List<FanOutRunner.Branch> branches) {
    this.continuation = context.continuation();
    this.state = context.state();
    this.nodeId = nodeId;
    this.visit = visit;
    this.branches = branches;
  }

  /** The fan-out's progress to start with: fresh, or what the previous run carried for this node. */
  FanOutProgress start(Duration timeout) {
    Checkpoint.FanOut saved = continuation == null ? null : continuation.takeFanOut(nodeId);
    if (saved == null) {
      return FanOutProgress.start(branches.size(), timeout);
    }
    checkSameBranches(saved);
    JsonNode finished = saved.finishedRef() == null ? saved.finished() : LargeOutputs.load(nodeId, saved.finishedRef());
    FanOutProgress progress = FanOutProgress.resume(branches.size(), saved, finished);
    state.resumeNodeUsage(progress.usage());
    state.resumeNodeStart(saved.startedAtMillis());
    return progress;
  }

  /** Whether to stop starting children now and continue as new once the pending ones finish. */
  boolean due() {
    return continuation != null
        && continuation.due()
        && Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == 1;
  }

  /** Continues as new with this progress (no child may be pending). Never returns. */
  void continueAsNew(FanOutProgress progress) {
    ObjectNode finished = progress.finishedJson();
    String finishedRef = LargeOutputs.storeIfLarge(nodeId, finished);
    continuation.continueInside(
        new Checkpoint.FanOut(
            nodeId,
            visit,
            branches.size(),
            digest(),
            progress.next(),
            progress.succeeded(),
            progress.failed(),
            finishedRef == null ? finished : null,
            finishedRef,
            progress.usage(),
            progress.costUsd(),
            progress.peak(),
            progress.deadlineMillis(),
            state.nodeStartedAt()));
  }

  private void checkSameBranches(Checkpoint.FanOut saved) {
    if (saved.visit() != visit || saved.branchCount() != branches.size() || !saved.branchDigest().equals(digest())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + nodeId + "' resumed its fan-out after continue-as-new with other branches than before ("
              + branches.size() + " now, " + saved.branchCount() + " before): its items or inputs must depend only on"
              + " input, nodes and vars",
          FailureTypes.FAN_OUT_CHANGED);
    }
  }

  /** SHA-256 of every branch's key and input, in order. */
  private String digest() {
    MessageDigest sha256;
    try {
      sha256 = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
    for (FanOutRunner.Branch branch : branches) {
      sha256.update(branch.key().getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
      sha256.update(String.valueOf(branch.input()).getBytes(StandardCharsets.UTF_8));
      sha256.update((byte) 0);
    }
    return HexFormat.of().formatHex(sha256.digest());
  }
}
