package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.Budget;

/**
 * What a child run may spend ({@link BudgetLedger#sliceForChild}): {@code limit} (null when no
 * budget applies), held by {@code reservation} until the child ends; {@code binding} is the budget
 * its share came from. When nothing is left, {@code exhausted} says which budget is spent, and the
 * child must not start.
 */
record ChildSlice(Budget limit, BudgetLedger.Reservation reservation, BudgetScope binding, BudgetBreach exhausted) {

  static final ChildSlice UNLIMITED = new ChildSlice(null, null, null, null);
}
