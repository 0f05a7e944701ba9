package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.MapNode;
import dev.agentflow.dsl.ParallelNode;
import dev.agentflow.dsl.ReviewNode;
import dev.agentflow.dsl.SubgraphNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.WaitNode;
import java.util.Map;

/**
 * The registry of node executors, one per permitted subtype of {@link Node}. Adding a node kind
 * means adding a record, an executor and a line here; a test walks the sealed hierarchy and fails
 * when a kind has no executor.
 */
final class NodeExecutors {

  private final Map<Class<? extends Node>, NodeExecutor<? extends Node>> executors =
      Map.of(
          LlmNode.class, new LlmNodeExecutor(),
          ToolNode.class, new ToolNodeExecutor(),
          EndNode.class, new EndNodeExecutor(),
          WaitNode.class, new WaitNodeExecutor(),
          MapNode.class, new MapNodeExecutor(),
          ParallelNode.class, new ParallelNodeExecutor(),
          SubgraphNode.class, new SubgraphNodeExecutor(),
          ReviewNode.class, new ReviewNodeExecutor());

  boolean supports(Class<? extends Node> kind) {
    return executors.containsKey(kind);
  }

  @SuppressWarnings("unchecked")
  <N extends Node> NodeOutcome execute(N node, RunContext context) {
    NodeExecutor<N> executor = (NodeExecutor<N>) executors.get(node.getClass());
    if (executor == null) {
      throw new IllegalStateException("no executor for node kind " + node.getClass().getSimpleName());
    }
    return executor.execute(node, context);
  }
}
