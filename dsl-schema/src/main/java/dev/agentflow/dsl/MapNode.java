package dev.agentflow.dsl;

import java.util.List;

/**
 * One child AgentGraph workflow per item of an array: map-over-items fan-out. Results come back in
 * item order.
 *
 * @param items JS expression that yields the array
 * @param graph the graph run for each item
 * @param input JS expression for each child's input ({@code item} and {@code index} in scope), or
 *     null for {@code {item, index}}
 * @param budget per-node budget over all items, or null
 */
public record MapNode(
    String id, String items, SubgraphRef graph, String input, FanOut fanOut, Budget budget, Transitions transitions)
    implements Node {

  @Override
  public String kind() {
    return "map";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onTimeout", fanOut.onTimeout()),
        Target.ofBudget(budget));
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.all(ExpressionSite.expression("items", items),
        ExpressionSite.expression("input", input), transitions.expressions());
  }
}
