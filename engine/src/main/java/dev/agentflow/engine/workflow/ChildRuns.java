package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.SubgraphRef;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ChildWorkflowCancellationType;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;

/**
 * Starts child AgentGraph runs: fan-out branches, map items and subgraphs. Each child gets its
 * pinned definition, its input and a budget cap no larger than what its parent has left. Each child
 * runs in its own cancellation scope so a fan-out can cancel the ones it no longer needs.
 */
final class ChildRuns {

  private ChildRuns() {}

  /** A started child: its result promise and the scope that cancels it. */
  record Started(String workflowId, Promise<RunResult> result, CancellationScope scope) {}

  static Started start(String workflowId, SubgraphRef graph, JsonNode input, Budget limit) {
    ChildWorkflowOptions options =
        ChildWorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(Workflow.getInfo().getTaskQueue())
            .setCancellationType(ChildWorkflowCancellationType.WAIT_CANCELLATION_REQUESTED)
            .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_REQUEST_CANCEL)
            .build();
    AgentGraphWorkflow child = Workflow.newChildWorkflowStub(AgentGraphWorkflow.class, options);
    RunRequest request =
        new RunRequest(graph.definition(), input, new RunOptions(graph.path() != null ? graph.path() : workflowId, null, limit));
    Promise<RunResult>[] result = newPromiseHolder();
    CancellationScope scope = Workflow.newCancellationScope(() -> result[0] = Async.function(child::run, request));
    scope.run();
    return new Started(workflowId, result[0], scope);
  }

  /**
   * A unique id that names the node, visit and branch. The unique part comes from workflow
   * randomness (deterministic on replay), not from the parent's id: a replayer may replay the
   * parent under another id, and the id must still match the recorded one.
   */
  static String childId(String nodeId, int visit, String branch) {
    return nodeId + "-" + visit + "-" + branch + "-" + Workflow.randomUUID();
  }

  /** The smaller of two budgets, field by field (either may be null). */
  static Budget tighter(Budget a, Budget b) {
    if (a == null) {
      return b;
    }
    if (b == null) {
      return a;
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
