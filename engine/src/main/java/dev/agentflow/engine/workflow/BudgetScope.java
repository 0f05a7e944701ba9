package dev.agentflow.engine.workflow;

/**
 * Which budget a limit, a reservation, a raise or a breach belongs to: the run's own ({@code
 * budget:} of the definition), the slice a parent run gave this child run, or one node's. Typed,
 * so no budget is ever found by a string key; {@link #carryKey()} is only the form continue-as-new
 * writes (the same keys runs have always carried).
 */
sealed interface BudgetScope extends Comparable<BudgetScope>
    permits BudgetScope.Run, BudgetScope.Parent, BudgetScope.OfNode {

  BudgetScope RUN = new Run();
  BudgetScope PARENT = new Parent();

  /** How messages name it: "run budget", "budget of node 'x'", … */
  String label();

  /** How budget figures name it: {@code run}, {@code limit} (the parent's slice) or {@code node}. */
  String kind();

  /** The key continue-as-new carries raises under. */
  String carryKey();

  @Override
  default int compareTo(BudgetScope other) {
    return carryKey().compareTo(other.carryKey());
  }

  /** The scope a carried key names. */
  static BudgetScope fromCarryKey(String key) {
    if (key.startsWith("node:")) {
      return new OfNode(key.substring("node:".length()));
    }
    return "limit".equals(key) ? PARENT : RUN;
  }

  /** The definition's run budget. */
  record Run() implements BudgetScope {
    @Override
    public String label() {
      return "run budget";
    }

    @Override
    public String kind() {
      return "run";
    }

    @Override
    public String carryKey() {
      return "run";
    }
  }

  /** The slice of its own budget a parent run gave this child run. */
  record Parent() implements BudgetScope {
    @Override
    public String label() {
      return "budget given by the parent run";
    }

    @Override
    public String kind() {
      return "limit";
    }

    @Override
    public String carryKey() {
      return "limit";
    }
  }

  /** One node's budget: over all its model calls, or all its children, in the run. */
  record OfNode(String nodeId) implements BudgetScope {
    @Override
    public String label() {
      return "budget of node '" + nodeId + "'";
    }

    @Override
    public String kind() {
      return "node";
    }

    @Override
    public String carryKey() {
      return "node:" + nodeId;
    }
  }
}
