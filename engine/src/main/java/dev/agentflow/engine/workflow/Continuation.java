package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.workflow.Workflow;
import java.util.List;
import java.util.Map;

/**
 * Continue-as-new for long runs: when Temporal suggests it (or the history passes the run's event
 * threshold), the run checkpoints its position and state and continues as a new run of the same
 * workflow id. Checked between nodes, between the model calls of a tool loop and while a fan-out
 * runs (see {@link FanOutContinuation}); the graph never notices, the trace shows where it happened.
 */
final class Continuation {

  private static final TypeReference<Map<String, List<JsonNode>>> QUEUED = new TypeReference<>() {};

  /** The {@link Workflow#getVersion} change id of carrying a large checkpoint by reference. */
  static final String BY_REFERENCE_CHANGE_ID = "checkpoint-by-reference";

  private final RunRequest request;
  private final Checkpoint resume;
  private final RunOptions options;
  private final RunState state;
  private final Inbox inbox;
  private final BudgetLedger budget;
  private final int continuations;
  private final boolean insideWaits;
  private Checkpoint.LlmLoop resumedLoop;
  private Checkpoint.FanOut resumedFanOut;
  private Checkpoint.Wait resumedWait;

  /**
   * Restores what {@code request} carries from a previous run, if anything.
   *
   * @param insideWaits whether a wait node may continue as new while it waits (runs recorded before
   *     that waited in one run however long the history grew)
   */
  Continuation(RunRequest request, RunOptions options, RunState state, Inbox inbox, BudgetLedger budget, boolean insideWaits) {
    this.insideWaits = insideWaits;
    this.request = request;
    this.options = options;
    this.state = state;
    this.inbox = inbox;
    this.budget = budget;
    this.resume = request.resumeRef() == null ? request.resume() : load(request.resumeRef());
    this.continuations = resume == null ? 0 : resume.continuations();
    if (resume != null) {
      state.restore(resume);
      inbox.restoreQueued(RunContext.JSON.convertValue(resume.inbox(), QUEUED));
      budget.restore(resume.budgetRaises());
      resumedLoop = resume.llmLoop();
      resumedFanOut = resume.fanOut();
      resumedWait = resume.waiting();
    }
  }

  /** The node a run starts at: the graph's start, or where the previous run stopped. */
  String startNode(String graphStart) {
    return resume == null ? graphStart : resume.node();
  }

  /** True when the run resumes in the middle of {@code nodeId} (its visit was already counted). */
  boolean resumesInside(String nodeId) {
    return (resumedLoop != null && resumedLoop.node().equals(nodeId))
        || (resumedFanOut != null && resumedFanOut.node().equals(nodeId))
        || (resumedWait != null && resumedWait.node().equals(nodeId));
  }

  /**
   * When the node this run resumes inside (a wait) started, in the run that started it, so its
   * trace entry covers the whole wait; {@code now} when the run does not resume inside it.
   */
  long startedAt(String nodeId, long now) {
    return resumedWait != null && resumedWait.node().equals(nodeId) ? resumedWait.startedAtMillis() : now;
  }

  /** Whether a wait node may continue as new while it waits. */
  boolean continuesInsideWaits() {
    return insideWaits;
  }

  /** The wait to resume {@code nodeId} with, once; null when the node starts afresh. */
  Checkpoint.Wait takeWait(String nodeId) {
    if (resumedWait == null || !resumedWait.node().equals(nodeId)) {
      return null;
    }
    Checkpoint.Wait wait = resumedWait;
    resumedWait = null;
    return wait;
  }

  /** The tool-loop state to resume {@code nodeId} with, once; null when the node starts afresh. */
  Checkpoint.LlmLoop takeLoop(String nodeId) {
    if (resumedLoop == null || !resumedLoop.node().equals(nodeId)) {
      return null;
    }
    Checkpoint.LlmLoop loop = resumedLoop;
    resumedLoop = null;
    return loop;
  }

  /** The fan-out progress to resume {@code nodeId} with, once; null when the node starts afresh. */
  Checkpoint.FanOut takeFanOut(String nodeId) {
    if (resumedFanOut == null || !resumedFanOut.node().equals(nodeId)) {
      return null;
    }
    Checkpoint.FanOut fanOut = resumedFanOut;
    resumedFanOut = null;
    return fanOut;
  }

  /** Whether the history is long enough to continue as new now. */
  boolean due() {
    if (Workflow.getInfo().isContinueAsNewSuggested()) {
      return true;
    }
    Integer threshold = options.continueAsNewAfterEvents();
    return threshold != null && threshold > 0 && Workflow.getInfo().getHistoryLength() >= threshold;
  }

  /** Continues as new, resuming at {@code node} (inside its tool loop when {@code loop} is set). Never returns. */
  void continueAt(String node, Checkpoint.LlmLoop loop) {
    continueAsNew(node, loop, null, null, "");
  }

  /** Continues as new in the middle of a wait node's wait, which the next run resumes. Never returns. */
  void continueInsideWait(Checkpoint.Wait wait) {
    continueAsNew(wait.node(), null, null, wait, " while waiting, " + state.rejectedSignals() + " signals rejected so far");
  }

  /** Continues as new, resuming inside the fan-out of {@code fanOut.node()} at its next branch. Never returns. */
  void continueInside(Checkpoint.FanOut fanOut) {
    continueAsNew(
        fanOut.node(),
        null,
        fanOut,
        null,
        " inside the fan-out, " + fanOut.next() + " of " + fanOut.branchCount() + " branches finished");
  }

  private void continueAsNew(
      String node, Checkpoint.LlmLoop loop, Checkpoint.FanOut fanOut, Checkpoint.Wait wait, String note) {
    Workflow.await(Workflow::isEveryHandlerFinished);
    state.addTrace(
        new TraceEntry(
            state.steps() + 1,
            node,
            RunState.CONTINUE_AS_NEW_KIND,
            state.visits(node),
            Workflow.currentTimeMillis(),
            0,
            0,
            0,
            "continued as new (#" + (continuations + 1) + ") after " + Workflow.getInfo().getHistoryLength() + " events"
                + note,
            node));
    Checkpoint checkpoint =
        state.checkpoint(
            node, continuations + 1, loop, fanOut, RunContext.JSON.valueToTree(inbox.queued()), budget.carry(), wait);
    String checkpointRef = storeIfLarge(checkpoint);
    Workflow.continueAsNew(
        new RunRequest(
            request.definition(),
            request.input(),
            options,
            checkpointRef == null ? checkpoint : null,
            checkpointRef,
            Workflow.getInfo().getRunId()));
  }

  /**
   * A checkpoint holds every node output and variable, so a run with large state could pass
   * Temporal's 2 MiB limit on the continue-as-new input, and the server would terminate it. Above
   * the large-output threshold the checkpoint goes to the blob store and the next run loads it.
   * Asked for a version only then, so histories of runs with small checkpoints do not change.
   */
  private static String storeIfLarge(Checkpoint checkpoint) {
    JsonNode json = RunContext.JSON.valueToTree(checkpoint);
    if (!LargeOutputs.isLarge(json) || Workflow.getVersion(BY_REFERENCE_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) {
      return null;
    }
    return LargeOutputs.store(checkpoint.node(), json);
  }

  private static Checkpoint load(String checkpointRef) {
    JsonNode json = LargeOutputs.load("continue-as-new", checkpointRef);
    try {
      return RunContext.JSON.treeToValue(json, Checkpoint.class);
    } catch (JsonProcessingException e) {
      // Not the run's fault: fail the workflow task (Temporal retries it) until a worker can read it.
      throw new IllegalStateException(
          "the checkpoint " + checkpointRef + " of the previous run cannot be read: " + e.getOriginalMessage(), e);
    }
  }
}
