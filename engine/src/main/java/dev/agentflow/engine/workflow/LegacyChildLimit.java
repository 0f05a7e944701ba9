package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.Budget;

/**
 * How runs recorded before the budget ledger ({@link RunVersions#BUDGET_LEDGER}) limited a child
 * run: all that was left of the run-wide budgets, and of the node's budget over this visit's
 * children, with no share kept for running siblings. Kept so those histories replay unchanged.
 */
final class LegacyChildLimit {

  private LegacyChildLimit() {}

  /** What is left of the run's budget and its parent's slice (with raises); null without either. */
  static Budget remaining(Budget runBudget, Spend runRaise, Budget parentLimit, Spend parentRaise, Spend spent) {
    Long tokens = null;
    Double cost = null;
    Budget[] budgets = {runBudget, parentLimit};
    Spend[] raises = {runRaise, parentRaise};
    for (int i = 0; i < budgets.length; i++) {
      Budget budget = budgets[i];
      if (budget == null) {
        continue;
      }
      if (budget.maxTokens() != null) {
        long left = Math.max(0, budget.maxTokens() + raises[i].tokens() - spent.tokens());
        tokens = tokens == null ? left : Math.min(tokens, left);
      }
      if (budget.maxCostUsd() != null) {
        double left = Math.max(0, budget.maxCostUsd() + raises[i].costUsd() - spent.costUsd());
        cost = cost == null ? left : Math.min(cost, left);
      }
    }
    return tokens == null && cost == null ? null : new Budget(tokens, cost, Budget.OnExceed.FAIL);
  }

  /** What is left of a node's budget after its children's spending in this visit; null without one. */
  static Budget ofNode(Budget nodeBudget, Spend spent) {
    if (nodeBudget == null) {
      return null;
    }
    Long leftTokens = nodeBudget.maxTokens() == null ? null : Math.max(0, nodeBudget.maxTokens() - spent.tokens());
    Double leftCost = nodeBudget.maxCostUsd() == null ? null : Math.max(0, nodeBudget.maxCostUsd() - spent.costUsd());
    return new Budget(leftTokens, leftCost, Budget.OnExceed.FAIL);
  }
}
