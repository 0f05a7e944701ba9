package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.SubgraphRef;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.tool.ToolActivities;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TerminatedFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/**
 * Starts child AgentGraph runs (fan-out branches, map items, subgraphs) and reads how they ended.
 * Each child gets its pinned definition, its input and the budget slice its parent reserved for it
 * ({@link BudgetLedger#sliceForChild}); each runs in its own cancellation scope, so a fan-out can
 * cancel the ones it no longer needs, and a cancelled child is awaited until it has ended (and
 * reported what it spent). Whatever the end, what the child spent is counted in the parent's
 * ledger: from its result, its failure's details, or the report it signalled when cancelled.
 */
final class ChildRuns {

  private ChildRuns() {}

  /** A started child: its result promise, the scope that cancels it and the slice it holds. */
  record Started(String workflowId, Promise<RunResult> result, CancellationScope scope, ChildSlice slice) {}

  /**
   * How a child ended.
   *
   * @param result its result when it succeeded, else null
   * @param usage what it spent, as far as it could say (null: unknown, e.g. it was terminated)
   * @param failure its failure, else null
   * @param error {@code {type, message}} of the failure, else null
   * @param cancelled true when it ended cancelled
   * @param ranOutOfSlice true when it failed because it used up the slice its parent gave it
   */
  record Ended(
      RunResult result, UsageSummary usage, RuntimeException failure, ObjectNode error, boolean cancelled,
      boolean ranOutOfSlice) {

    boolean succeeded() {
      return failure == null;
    }
  }

  /**
   * Starts a child run, named and described by {@code name}.
   *
   * @param awaitCancellation true: cancelling the child waits until it has ended (runs recorded
   *     before then only waited until the cancellation was requested)
   */
  static Started start(
      ChildNames.Name name, SubgraphRef graph, JsonNode input, ChildSlice slice, boolean awaitCancellation,
      BudgetLedger ledger) {
    String workflowId = name.workflowId();
    ChildWorkflowOptions options =
        name.describe(ChildWorkflowOptions.newBuilder())
            .setTaskQueue(Workflow.getInfo().getTaskQueue())
            .setCancellationType(awaitCancellation
                ? ChildWorkflowCancellationType.WAIT_CANCELLATION_COMPLETED
                : ChildWorkflowCancellationType.WAIT_CANCELLATION_REQUESTED)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build();
    AgentGraphWorkflow child = Workflow.newChildWorkflowStub(AgentGraphWorkflow.class, options);
    Budget limit = slice == null ? null : slice.limit();
    RunRequest request =
        new RunRequest(graph.definition(), input, new RunOptions(graph.path() != null ? graph.path() : workflowId, null, limit));
    ledger.childReports().expect(workflowId);
    Promise<RunResult>[] result = newPromiseHolder();
    CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(child::run, request));
    scope.run();
    return new Started(workflowId, result[0], scope, slice);
  }

  /**
   * Waits for the child to end (its promise completes only once it has, for a child started to
   * await its cancellation), counts what it spent against {@code nodeId} and releases its slice.
   */
  static Ended end(String nodeId, Started child, BudgetLedger ledger, RunVersions versions) {
    RuntimeException failure = child.result().getFailure();
    ChildReport signalled = ledger.childReports().take(child.workflowId());
    if (failure == null) {
      RunResult result = child.result().get();
      ledger.childEnded(child.slice(), nodeId, result.usage());
      return new Ended(result, result.usage(), null, null, false, false);
    }
    Throwable cause = rootCause(failure);
    ChildReport report = null;
    boolean cancelled = cause instanceof CanceledFailure;
    if (cause instanceof ApplicationFailure application) {
      report = ChildReports.failed(application);
    } else if (cancelled) {
      report = signalled;
    }
    UsageSummary usage = report == null ? null : report.usage();
    ledger.childEnded(child.slice(), nodeId, usage);
    boolean ranOut = report != null && report.parentLimitExceeded();
    return new Ended(null, usage, failure, errorOf(nodeId, failure, versions), cancelled, ranOut);
  }

  /** The failure under Temporal's child-workflow wrapping. */
  static Throwable rootCause(RuntimeException failure) {
    Throwable cause = failure;
    while (cause instanceof ChildWorkflowFailure && cause.getCause() != null) {
      cause = cause.getCause();
    }
    return cause;
  }

  /**
   * {@code {type, message}} of a child's failure: the child's own type and message where it has one,
   * the reason of a terminated child.
   */
  static ObjectNode errorOf(String nodeId, RuntimeException failure, RunVersions versions) {
    Throwable cause = rootCause(failure);
    ObjectNode error = RunContext.JSON.createObjectNode();
    if (cause instanceof ApplicationFailure application) {
      error.put("type", application.getType());
      error.put("message", application.getOriginalMessage());
    } else if (cause instanceof CanceledFailure) {
      error.put("type", "Cancelled");
      error.put("message", "the branch was cancelled");
    } else if (cause instanceof TerminatedFailure && versions != null && !CancellationScope.current().isCancelRequested()
        && versions.fanOutOutcomes()) {
      error.put("type", "Terminated");
      error.put("message", terminationOf(nodeId, failure));
    } else if (cause instanceof TemporalFailure temporal) {
      error.put("type", cause.getClass().getSimpleName().replace("Failure", ""));
      error.put("message", temporal.getOriginalMessage());
    } else {
      error.put("type", FailureTypes.BRANCH_FAILED);
      error.put("message", String.valueOf(cause.getMessage()));
    }
    return error;
  }

  /**
   * "the child run X was terminated: reason". The parent's history does not hold the reason (only
   * the child's does), so an activity reads it.
   */
  private static String terminationOf(String nodeId, RuntimeException failure) {
    if (!(failure instanceof ChildWorkflowFailure child)) {
      return "the child run was terminated";
    }
    String workflowId = child.getExecution().getWorkflowId();
    ToolActivities runs = Workflow.newActivityStub(
        ToolActivities.class, ActivityOptionsFactory.forTool(nodeId, "read_termination", ToolSettings.DEFAULT, false));
    try {
      return "the child run " + workflowId + " was "
          + runs.readTermination(workflowId, child.getExecution().getRunId());
    } catch (ActivityFailure unreadable) {
      return "the child run " + workflowId + " was terminated (its reason could not be read: "
          + ActivityFailures.messageOf(unreadable) + ")";
    }
  }

  /**
   * A unique id that names the node, visit and branch. The unique part comes from workflow
   * randomness (deterministic on replay), not from the parent's id: a replayer may replay the
   * parent under another id, and the id must still match the recorded one.
   */
  static String childId(String nodeId, int visit, String branch) {
    return nodeId + "-" + visit + "-" + branch + "-" + Workflow.randomUUID();
  }

  /** The smaller of two budgets, field by field (either may be null); always {@code onExceed: fail}. */
  static Budget tighter(Budget a, Budget b) {
    if (a == null && b == null) {
      return null;
    }
    if (a == null || b == null) {
      Budget only = a == null ? b : a;
      return new Budget(only.maxTokens(), only.maxCostUsd(), Budget.OnExceed.FAIL);
    }
    Long tokens = min(a.maxTokens(), b.maxTokens());
    Double cost = a.maxCostUsd() == null ? b.maxCostUsd()
        : b.maxCostUsd() == null ? a.maxCostUsd() : Math.min(a.maxCostUsd(), b.maxCostUsd());
    return new Budget(tokens, cost, Budget.OnExceed.FAIL);
  }

  private static Long min(Long a, Long b) {
    if (a == null) {
      return b;
    }
    return b == null ? a : Math.min(a, b);
  }

  @SuppressWarnings("unchecked")
  private static Promise<RunResult>[] newPromiseHolder() {
    return (Promise<RunResult>[]) new Promise<?>[1];
  }
}
