package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.SubgraphNode;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.CancellationScope;

/**
 * Runs another (pinned) definition as one child AgentGraph run and takes its output. The child
 * gets a slice of what is left of this run's budgets and of the node's own; what it spends counts
 * against them however it ends. When nothing is left, or the child used up its slice, the node's
 * (or the run's) budget decides: fail, route here in the parent, or ask and run the child again
 * with the raised budget. The child itself always just fails on its slice: it cannot route to a
 * node of its parent.
 */
final class SubgraphNodeExecutor implements NodeExecutor<SubgraphNode> {

  @Override
  public NodeOutcome execute(SubgraphNode node, RunContext context) {
    JsonNode input = node.input() == null
        ? context.state().input()
        : context.evaluate(node.id(), "input", node.input(), null);
    BudgetLedger ledger = context.budget();
    RunVersions versions = context.versions();
    boolean awaitCancelled = versions.cancellation();
    int visit = context.state().visits(node.id());
    while (true) {
      ChildSlice slice = ledger.sliceForChild(node.id(), node.budget(), 1, Spend.ZERO);
      if (slice.exhausted() != null) {
        NodeOutcome.Jump jump = ledger.resolve(slice.exhausted());
        if (jump != null) {
          return jump;
        }
        continue;
      }
      ChildNames.Name name = ChildNames.of(context, node.id(), node.kind(), visit, "child", node.graph());
      ChildRuns.Started child = ChildRuns.start(name, node.graph(), input, slice, awaitCancelled, ledger);
      context.state().events().childStarted(node.id(), "child", name.workflowId());
      ChildRuns.Ended end = ChildRuns.end(node.id(), child, ledger, versions);
      if (end.succeeded()) {
        return new NodeOutcome.Completed(end.result().output());
      }
      if (awaitCancelled && CancellationScope.current().isCancelRequested()) {
        throw new CanceledFailure("the run was cancelled");
      }
      BudgetBreach breach = end.ranOutOfSlice() && ledger.reserving()
          ? ledger.childRanOut(slice, node.id(), null, node.budget()) : null;
      if (breach == null) {
        throw ApplicationFailure.newNonRetryableFailureWithCause(
            "subgraph node '" + node.id() + "' failed: " + end.error().path("message").asText(),
            end.error().path("type").asText(FailureTypes.BRANCH_FAILED),
            end.failure());
      }
      NodeOutcome.Jump jump = ledger.resolve(breach);
      if (jump != null) {
        return jump;
      }
      // a human raised the budget: the child runs again
    }
  }
}
