package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.NameRef;
import dev.agentflow.dsl.Node;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Budgets that can work: each one limits something (the schema already rejects limits of 0 or
 * less), and a limit on cost can only be enforced when every model the graph calls has a price,
 * because the worker's own price table is not visible when a definition loads.
 *
 * <p>A child graph run under a parent whose budget limits cost is held to the same rule, since
 * its spending counts against the parent's budget.
 */
public final class BudgetChecks {

  private BudgetChecks() {}

  /**
   * @param costLimitedByParent true when this graph is a child of one whose budget sets maxCostUsd
   */
  public static void check(GraphDefinition graph, boolean costLimitedByParent,
      ProblemCollector problems) {
    Map<String, Budget> budgets = budgets(graph);
    String firstCostLimit = null;
    for (Map.Entry<String, Budget> entry : budgets.entrySet()) {
      Budget budget = entry.getValue();
      if (budget.maxTokens() == null && budget.maxCostUsd() == null) {
        problems.atValue(entry.getKey(), PointerText.field(entry.getKey())
            + " sets neither maxTokens nor maxCostUsd, so it limits nothing (set at least one)");
      }
      if (budget.maxCostUsd() != null && firstCostLimit == null) {
        firstCostLimit = JsonPointers.child(entry.getKey(), "maxCostUsd");
      }
    }
    if (firstCostLimit != null || costLimitedByParent) {
      checkPrices(graph, firstCostLimit, problems);
    }
  }

  /** Is cost limited anywhere in this graph (its own budget or a node's)? */
  public static boolean limitsCost(GraphDefinition graph) {
    return budgets(graph).values().stream().anyMatch(budget -> budget.maxCostUsd() != null);
  }

  private static void checkPrices(GraphDefinition graph, String costLimit, ProblemCollector problems) {
    Map<String, String> unpriced = new LinkedHashMap<>();
    for (Node node : graph.nodes().values()) {
      for (NameRef ref : node.references()) {
        if (ref.kind() == NameRef.Kind.MODEL && graph.models().containsKey(ref.name())
            && !graph.pricing().containsKey(ref.name())) {
          unpriced.putIfAbsent(ref.name(), JsonPointers.node(node.id()) + ref.pointer());
        }
      }
    }
    unpriced.forEach((model, usedAt) -> {
      String hint = " (add pricing: {" + model + ": {input: <USD per million tokens>, output: <USD"
          + " per million tokens>}})";
      if (costLimit != null) {
        problems.atValue(costLimit, PointerText.field(costLimit) + " limits cost, but model '"
            + model + "' has no price under pricing" + hint);
      } else {
        problems.atValue(usedAt, "model '" + model + "' has no price under pricing, but the parent"
            + " graph's budget limits cost (maxCostUsd)" + hint);
      }
    });
  }

  /** Budget pointer to budget: the run's, then each node's, in file order. */
  private static Map<String, Budget> budgets(GraphDefinition graph) {
    Map<String, Budget> budgets = new LinkedHashMap<>();
    if (graph.budget() != null) {
      budgets.put("/budget", graph.budget());
    }
    for (Node node : graph.nodes().values()) {
      if (node.budget() != null) {
        budgets.put(JsonPointers.child(JsonPointers.node(node.id()), "budget"), node.budget());
      }
    }
    return budgets;
  }
}
