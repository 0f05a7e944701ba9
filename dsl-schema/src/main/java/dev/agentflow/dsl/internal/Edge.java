package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.ToolNode;
import java.util.ArrayList;
import java.util.List;

/**
 * One way out of a node, as the graph checks see it.
 *
 * @param label how the definition names it: next, routes[1].to, onError, onMaxIterations
 * @param pointer where the target is written
 * @param conditional false for {@code next} and a default route, which are always taken when the
 *     node succeeds; true for a route with {@code when}, {@code onError} and {@code onMaxIterations}
 */
public record Edge(String from, String to, String label, String pointer, boolean conditional) {

  /** Every edge out of {@code node}, in the order the definition writes them. */
  public static List<Edge> of(Node node) {
    List<Edge> edges = new ArrayList<>();
    String nodePointer = JsonPointers.node(node.id());
    if (node.transitions().next() != null) {
      edges.add(new Edge(node.id(), node.transitions().next(), "next",
          JsonPointers.child(nodePointer, "next"), false));
    }
    List<Route> routes = node.transitions().routes();
    for (int i = 0; i < routes.size(); i++) {
      Route route = routes.get(i);
      edges.add(new Edge(node.id(), route.to(), "routes[" + i + "].to",
          JsonPointers.child(JsonPointers.child(JsonPointers.child(nodePointer, "routes"), i), "to"),
          route.when() != null));
    }
    String onError = null;
    if (node instanceof LlmNode llm) {
      onError = llm.onError();
      if (llm.onMaxIterations() != null) {
        edges.add(new Edge(node.id(), llm.onMaxIterations(), "onMaxIterations",
            JsonPointers.child(nodePointer, "onMaxIterations"), true));
      }
    } else if (node instanceof ToolNode tool) {
      onError = tool.onError();
    } else if (node instanceof EndNode) {
      return edges;
    }
    if (onError != null) {
      edges.add(new Edge(node.id(), onError, "onError", JsonPointers.child(nodePointer, "onError"), true));
    }
    return edges;
  }
}
