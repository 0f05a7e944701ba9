package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.Budget;

/**
 * One budget and the scope it belongs to (the budget may be null: that scope has no limit), with
 * its limits as raised by a human's answers to {@code ask}: the breach checks, a breach's figures
 * and a child's slice all measure against the same raised limits.
 */
record BudgetCap(BudgetScope scope, Budget budget) {

  /** The token limit plus what was raised, or null when this budget does not limit tokens. */
  Long tokenLimit(Spend raise) {
    return budget.maxTokens() == null ? null : budget.maxTokens() + raise.tokens();
  }

  /** The cost limit plus what was raised, or null when this budget does not limit cost. */
  Double costLimit(Spend raise) {
    return budget.maxCostUsd() == null ? null : budget.maxCostUsd() + raise.costUsd();
  }
}
