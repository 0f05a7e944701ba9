package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Workflow;
import java.util.Optional;

/**
 * How a run ends when it does not succeed, so that cancellation is cancellation and a parent
 * learns what its child spent.
 *
 * <ul>
 *   <li><b>Cancelled</b> (whatever was in flight: a model or tool call, a fan-out, a wait): no
 *       route is taken and no node runs; the trace ends with a {@code cancelled} entry for the
 *       node the run was in; a child run signals its parent a {@link ChildReport} (in a detached
 *       scope, since its own scope is cancelled, and waits until it is delivered); the run ends
 *       CANCELED. Its usage and trace stay readable through the {@code progress} query.
 *   <li><b>Failed</b>: the failure carries a {@link ChildReport} in its details (what the run spent
 *       and whether it ran out of the slice its parent gave it), which a parent counts.
 * </ul>
 *
 * <p>Runs recorded before this (see {@link RunVersions#CANCELLATION}) end as they did.
 */
final class RunEnding {

  private final GraphDefinition graph;
  private final RunState state;
  private final BudgetLedger ledger;
  private final RunVersions versions;

  RunEnding(GraphDefinition graph, RunState state, BudgetLedger ledger, RunVersions versions) {
    this.graph = graph;
    this.state = state;
    this.ledger = ledger;
    this.versions = versions;
  }

  /** Whether the run has been asked to cancel (and tells cancellation apart): then no further node runs. */
  boolean cancelled() {
    return CancellationScope.current().isCancelRequested() && versions.cancellation();
  }

  /** The cancellation that ends the run, after recording it; for the interpreter to throw. */
  CanceledFailure cancel() {
    recordCancellation();
    return new CanceledFailure("the run was cancelled");
  }

  /** As {@link #cancel()}, when the run was about to start {@code nodeId}: the entry names that node. */
  CanceledFailure cancelBefore(String nodeId) {
    state.setCurrentNode(nodeId);
    state.nodeStarted(Workflow.currentTimeMillis());
    return cancel();
  }

  /** What to end the run with when {@code failure} escapes the interpreter. */
  RuntimeException ended(RuntimeException failure) {
    if (failure instanceof CanceledFailure && state.cancellationRecorded()) {
      return failure;
    }
    if (cancelled()) {
      return cancel();
    }
    if (failure instanceof ApplicationFailure application && versions.cancellation()
        && (application.getDetails() == null || application.getDetails().getSize() == 0)) {
      return ApplicationFailure.newBuilder(application)
          .setCause(application.getCause())
          .setDetails(report())
          .build();
    }
    return failure;
  }

  private ChildReport report() {
    return new ChildReport(Workflow.getInfo().getWorkflowId(), state.usage(), ledger.parentLimitExceeded());
  }

  private void recordCancellation() {
    String nodeId = state.currentNode();
    Node node = nodeId == null ? null : graph.nodes().get(nodeId);
    long now = Workflow.currentTimeMillis();
    long startedAt = nodeId == null ? now : state.nodeStartedAt();
    String reason = CancellationScope.current().getCancellationReason();
    state.addCancellation(
        new TraceEntry(
            state.steps() + 1,
            nodeId,
            node == null ? "cancelled" : node.kind(),
            nodeId == null ? 0 : state.visits(nodeId),
            startedAt,
            now - startedAt,
            state.nodeUsage().inputTokens(),
            state.nodeUsage().outputTokens(),
            reason == null || reason.isBlank() ? "cancelled" : "cancelled: " + reason,
            null));
    state.setCurrentNode(null);
    Optional<String> parent = Workflow.getInfo().getParentWorkflowId();
    if (parent.isPresent()) {
      ChildReport report = report();
      WorkflowExecution parentRun = WorkflowExecution.newBuilder()
          .setWorkflowId(parent.get())
          .setRunId(Workflow.getInfo().getParentRunId().orElse(""))
          .build();
      Workflow.newDetachedCancellationScope(() -> {
        try {
          ExternalWorkflowStub stub = Workflow.newUntypedExternalWorkflowStub(parentRun);
          stub.signal(ChildReportListener.SIGNAL, report);
        } catch (RuntimeException parentGone) {
          // the parent has ended: nobody is left to count it
        }
      }).run();
    }
  }
}
