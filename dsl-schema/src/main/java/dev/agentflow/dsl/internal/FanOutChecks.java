package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Join;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ParallelNode;

/**
 * Fan-out settings that can be judged before a run: a {@code parallel} node's {@code join:
 * {atLeast: n}} can never hold with fewer than n branches. (A {@code map}'s item count is known
 * only at run time; a map with fewer items than n fails its run instead.)
 */
public final class FanOutChecks {

  private FanOutChecks() {}

  public static void check(GraphDefinition graph, ProblemCollector problems) {
    for (Node node : graph.nodes().values()) {
      if (node instanceof ParallelNode parallel) {
        Join join = parallel.fanOut().join();
        int branches = parallel.branches().size();
        if ("atLeast".equals(join.mode()) && join.count() > branches) {
          problems.atValue(JsonPointers.child(JsonPointers.child(JsonPointers.node(node.id()), "join"), "atLeast"),
              "join {atLeast: " + join.count() + "} of node '" + node.id() + "' needs " + join.count()
                  + " successful branches, but the node has only " + branches
                  + (branches == 1 ? " branch" : " branches"));
        }
      }
    }
  }
}
