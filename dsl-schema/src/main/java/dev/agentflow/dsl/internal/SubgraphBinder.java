package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.SubgraphNode;
import java.util.List;

/** {@code kind: subgraph}: an inline graph is named {@code <graph>--<node>}. */
final class SubgraphBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return SubgraphNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return new SubgraphNode(
        id,
        subgraphs.resolve(JsonPointers.child(JsonPointers.node(id), "graph"), node.get("graph"),
            List.of(id)),
        Fields.text(node, "input"),
        Fields.budget(node),
        Fields.transitions(node));
  }
}
