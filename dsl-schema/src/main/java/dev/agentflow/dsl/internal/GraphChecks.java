package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.Target;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The shape of the graph: every target exists, each node says where to go next exactly one way,
 * routes end with one default, every node is reachable, an end is reachable, and no cycle is
 * made only of steps that are always taken (such a cycle can never stop).
 *
 * <p>Works on the {@link Target}s each node lists, so a new node kind needs nothing here. The run
 * budget's {@code onExceed: {route: …}} target may be taken after any model call, so it counts as
 * reachable from the start.
 */
public final class GraphChecks {

  private final GraphDefinition graph;
  private final ProblemCollector problems;

  private GraphChecks(GraphDefinition graph, ProblemCollector problems) {
    this.graph = graph;
    this.problems = problems;
  }

  public static void check(GraphDefinition graph, ProblemCollector problems) {
    new GraphChecks(graph, problems).run();
  }

  private void run() {
    boolean targetsResolve = true;
    for (Node node : graph.nodes().values()) {
      checkTransitionShape(node);
      checkRoutes(node);
      targetsResolve &= checkTargets(node);
    }
    String budgetRoute = runBudgetRoute();
    if (budgetRoute != null && !graph.nodes().containsKey(budgetRoute)) {
      targetsResolve = false;
      problems.atValue("/budget/onExceed/route", "budget.onExceed.route goes to '" + budgetRoute
          + "', which is not a node" + Suggestions.hint(budgetRoute, graph.nodes().keySet()));
    }
    if (!graph.nodes().containsKey(graph.start())) {
      problems.atValue("/start", "start '" + graph.start() + "' is not a node"
          + Suggestions.hint(graph.start(), graph.nodes().keySet()));
      return;
    }
    if (!targetsResolve) {
      // a misspelt target would make its node look unreachable: one typo, one problem
      return;
    }
    Set<String> reachable = reachableFromStart();
    for (Node node : graph.nodes().values()) {
      if (!reachable.contains(node.id())) {
        problems.atKey(JsonPointers.node(node.id()),
            "node '" + node.id() + "' is unreachable from start node '" + graph.start() + "'");
      }
    }
    checkEndReachable(reachable);
    checkUnboundedCycles(reachable);
  }

  private void checkTransitionShape(Node node) {
    if (node instanceof EndNode) {
      return;
    }
    boolean hasNext = node.transitions().next() != null;
    boolean hasRoutes = !node.transitions().routes().isEmpty();
    if (hasNext && hasRoutes) {
      problems.atKey(JsonPointers.node(node.id()), "node '" + node.id()
          + "' has both next and routes (use next for a fixed successor or routes to choose, not both)");
    } else if (!hasNext && !hasRoutes) {
      problems.atKey(JsonPointers.node(node.id()), "node '" + node.id()
          + "' has neither next nor routes, so the run cannot go on after it"
          + " (add one, or make it kind: end)");
    }
  }

  private void checkRoutes(Node node) {
    List<Route> routes = node.transitions().routes();
    if (routes.isEmpty()) {
      return;
    }
    String routesPointer = JsonPointers.child(JsonPointers.node(node.id()), "routes");
    int firstDefault = -1;
    for (int i = 0; i < routes.size(); i++) {
      if (firstDefault >= 0) {
        problems.atValue(JsonPointers.child(routesPointer, i), "route " + i + " of node '" + node.id()
            + "' comes after the default route (the one without 'when') and can never be taken;"
            + " the default route must be last");
      } else if (routes.get(i).when() == null) {
        firstDefault = i;
      }
    }
    if (firstDefault < 0) {
      problems.atKey(routesPointer, "routes of node '" + node.id()
          + "' have no default route (end them with a route without 'when', e.g. {to: done})");
    }
  }

  /** Reports each target that is not a node; true when all of them are. */
  private boolean checkTargets(Node node) {
    boolean resolved = true;
    for (Target target : node.targets()) {
      if (!graph.nodes().containsKey(target.to())) {
        resolved = false;
        problems.atValue(pointer(node, target), PointerText.field(target.pointer()) + " of node '"
            + node.id() + "' goes to '" + target.to() + "', which is not a node"
            + Suggestions.hint(target.to(), graph.nodes().keySet()));
      }
    }
    return resolved;
  }

  private static String pointer(Node node, Target target) {
    return JsonPointers.node(node.id()) + target.pointer();
  }

  private String runBudgetRoute() {
    if (graph.budget() == null || !"route".equals(graph.budget().onExceed().action())) {
      return null;
    }
    return graph.budget().onExceed().target();
  }

  private Set<String> reachableFromStart() {
    Set<String> reached = new LinkedHashSet<>();
    Deque<String> pending = new ArrayDeque<>();
    pending.add(graph.start());
    if (runBudgetRoute() != null) {
      pending.add(runBudgetRoute());
    }
    while (!pending.isEmpty()) {
      String id = pending.removeFirst();
      Node node = graph.nodes().get(id);
      if (node == null || !reached.add(id)) {
        continue;
      }
      for (Target target : node.targets()) {
        pending.addLast(target.to());
      }
    }
    return reached;
  }

  private void checkEndReachable(Set<String> reachable) {
    boolean anyEnd = graph.nodes().values().stream().anyMatch(node -> node instanceof EndNode);
    boolean endReached = reachable.stream().anyMatch(id -> graph.nodes().get(id) instanceof EndNode);
    if (!anyEnd) {
      problems.atValue("/start", "the graph has no node of kind end, so a run can never finish");
    } else if (!endReached) {
      problems.atValue("/start",
          "no end node is reachable from start node '" + graph.start() + "', so a run can never finish");
    }
  }

  /**
   * A node whose only way out is one unconditional edge always moves to the same successor; a
   * cycle of such nodes, once entered, never stops. Each node has at most one forced successor, so
   * following them from every node finds every such cycle.
   */
  private void checkUnboundedCycles(Set<String> reachable) {
    Map<String, Target> forced = new LinkedHashMap<>();
    for (String id : reachable) {
      forcedEdge(graph.nodes().get(id)).ifPresent(edge -> forced.put(id, edge));
    }
    Set<String> done = new LinkedHashSet<>();
    for (String start : graph.nodes().keySet()) {
      List<String> path = new ArrayList<>();
      String current = start;
      while (current != null && forced.containsKey(current) && !done.contains(current)
          && !path.contains(current)) {
        path.add(current);
        current = forced.get(current).to();
      }
      if (current != null && path.contains(current)) {
        reportCycle(path.subList(path.indexOf(current), path.size()), forced);
      }
      done.addAll(path);
    }
  }

  private java.util.Optional<Target> forcedEdge(Node node) {
    List<Target> targets = node.targets();
    if (targets.size() == 1 && !targets.get(0).conditional()
        && graph.nodes().containsKey(targets.get(0).to())) {
      return java.util.Optional.of(targets.get(0));
    }
    return java.util.Optional.empty();
  }

  private void reportCycle(List<String> cycle, Map<String, Target> forced) {
    String first = graph.nodes().keySet().stream().filter(cycle::contains).findFirst().orElseThrow();
    int at = cycle.indexOf(first);
    List<String> ordered = new ArrayList<>(cycle.subList(at, cycle.size()));
    ordered.addAll(cycle.subList(0, at));
    ordered.add(first);
    problems.atValue(pointer(graph.node(first), forced.get(first)), "cycle " + String.join(" → ", ordered)
        + " can never end: every step in it is always taken (add a route with 'when', onError,"
        + " onMaxIterations or another conditional exit that leaves it)");
  }
}
