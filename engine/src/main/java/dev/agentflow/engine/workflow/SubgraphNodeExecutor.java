package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.SubgraphNode;
import io.temporal.failure.ApplicationFailure;

/**
 * Runs another (pinned) definition as one child AgentGraph run and takes its output. The child's
 * usage counts against this run's budget, and the child never gets more than what is left of it.
 */
final class SubgraphNodeExecutor implements NodeExecutor<SubgraphNode> {

  @Override
  public NodeOutcome execute(SubgraphNode node, RunContext context) {
    JsonNode input = node.input() == null
        ? context.state().input()
        : context.evaluate(node.id(), "input", node.input(), null);
    Budget limit = ChildRuns.tighter(node.budget(), context.budget().remaining());
    int visit = context.state().visits(node.id());
    ChildRuns.Started child = ChildRuns.start(ChildRuns.childId(node.id(), visit, "child"), node.graph(), input, limit);
    RuntimeException failure = child.result().getFailure() == null ? null : child.result().getFailure();
    if (failure == null) {
      RunResult result = child.result().get();
      context.state().addChildUsage(result.usage());
      return new NodeOutcome.Completed(result.output());
    }
    var error = FanOutRunner.errorOf(failure);
    throw ApplicationFailure.newNonRetryableFailureWithCause(
        "subgraph node '" + node.id() + "' failed: " + error.path("message").asText(),
        error.path("type").asText(FailureTypes.BRANCH_FAILED),
        failure);
  }
}
