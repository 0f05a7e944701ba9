package dev.agentflow.dsl;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What happens after a node succeeds: variables assigned by {@code set:} (in file order, each a JS
 * expression), then either {@code next:} or the first matching {@code routes:} entry.
 *
 * @param next the following node id, or null
 * @param routes ordered routes; a route without {@code when} is the default; empty when absent
 * @param set variable name to JS expression, in file order; empty when absent
 */
public record Transitions(String next, List<Route> routes, Map<String, String> set) {

  public static final Transitions NONE = new Transitions(null, List.of(), Map.of());

  /** {@code next} (always taken) and each route's target (conditional when it has {@code when}). */
  public List<Target> targets() {
    List<Target> targets = new ArrayList<>();
    if (next != null) {
      targets.add(new Target("/next", next, false));
    }
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      targets.add(new Target(Pointers.child(Pointers.child("/routes", i), "to"), route.to(),
          route.when() != null));
    }
    return List.copyOf(targets);
  }

  /** Each route's {@code when} and each {@code set} value. */
  public List<ExpressionSite> expressions() {
    List<ExpressionSite> sites = new ArrayList<>();
    for (int i = 0; i < routes.size(); i++) {
      if (routes.get(i).when() != null) {
        sites.add(new ExpressionSite(Pointers.child(Pointers.child("/routes", i), "when"),
            routes.get(i).when(), false));
      }
    }
    for (Map.Entry<String, String> entry : set.entrySet()) {
      sites.add(new ExpressionSite(Pointers.child("/set", entry.getKey()), entry.getValue(), false));
    }
    return List.copyOf(sites);
  }
}
