package dev.agentflow.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * One way out of a node: where the run may go next. Nodes list their own targets ({@link
 * Node#targets()}), so the graph checks need no knowledge of node kinds.
 *
 * @param pointer where the target is written, relative to the node (e.g. {@code /routes/1/to})
 * @param to target node id
 * @param conditional false for {@code next} and a default route, which are always taken when the
 *     node succeeds; true for everything taken only sometimes (a route with {@code when}, {@code
 *     onError}, {@code onMaxIterations}, {@code onTimeout}, {@code onMaxRounds}, a budget route)
 */
public record Target(String pointer, String to, boolean conditional) {

  /** A target that is taken only on some outcome, or nothing when {@code to} is null. */
  static List<Target> conditional(String field, String to) {
    return to == null ? List.of() : List.of(new Target("/" + field, to, true));
  }

  /** The route target of a budget, or nothing. */
  static List<Target> ofBudget(Budget budget) {
    if (budget == null || budget.onExceed() == null || !"route".equals(budget.onExceed().action())) {
      return List.of();
    }
    return List.of(new Target("/budget/onExceed/route", budget.onExceed().target(), true));
  }

  /** {@code parts} concatenated, in order. */
  @SafeVarargs
  static List<Target> all(List<Target>... parts) {
    List<Target> targets = new ArrayList<>();
    for (List<Target> part : parts) {
      targets.addAll(part);
    }
    return List.copyOf(targets);
  }
}
