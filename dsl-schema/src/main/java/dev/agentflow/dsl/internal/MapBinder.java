package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.MapNode;
import dev.agentflow.dsl.Node;
import java.util.List;

/** {@code kind: map}: the graph run per item is a child graph named {@code <graph>--<node>}. */
final class MapBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return MapNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return new MapNode(
        id,
        node.path("items").asText(),
        subgraphs.resolve(JsonPointers.child(JsonPointers.node(id), "graph"), node.get("graph"),
            List.of(id)),
        Fields.text(node, "input"),
        Fields.fanOut(node),
        Fields.budget(node),
        Fields.transitions(node));
  }
}
