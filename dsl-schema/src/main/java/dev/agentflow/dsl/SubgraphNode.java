package dev.agentflow.dsl;

import java.util.List;

/**
 * Runs another definition as one child AgentGraph workflow.
 *
 * @param graph the child graph, pinned at load time
 * @param input JS expression for the child's input, or null for the parent's input
 * @param budget budget for the child, or null (the child still never gets more than the run's
 *     remaining budget)
 */
public record SubgraphNode(String id, SubgraphRef graph, String input, Budget budget, Transitions transitions)
    implements Node {

  @Override
  public String kind() {
    return "subgraph";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.ofBudget(budget));
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.all(ExpressionSite.expression("input", input), transitions.expressions());
  }
}
