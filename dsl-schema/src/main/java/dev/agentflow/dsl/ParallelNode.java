package dev.agentflow.dsl;

import java.util.List;
import java.util.Map;

/**
 * Named branches run at the same time, each a child AgentGraph workflow.
 *
 * @param branches branch name to graph, in file order
 * @param input JS expression for each child's input ({@code item} is the branch name), or null for
 *     the parent's input
 * @param budget per-node budget over all branches, or null
 */
public record ParallelNode(
    String id, Map<String, SubgraphRef> branches, String input, FanOut fanOut, Budget budget, Transitions transitions)
    implements Node {

  @Override
  public String kind() {
    return "parallel";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onTimeout", fanOut.onTimeout()),
        Target.ofBudget(budget));
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.all(ExpressionSite.expression("input", input), transitions.expressions());
  }
}
