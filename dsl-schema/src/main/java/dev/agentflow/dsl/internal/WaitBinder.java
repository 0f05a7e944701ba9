package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.WaitNode;

/** {@code kind: wait}. */
final class WaitBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return WaitNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return new WaitNode(
        id,
        node.path("event").asText(),
        Fields.copy(node, "payload"),
        Fields.duration(node, "timeout", null),
        Fields.text(node, "onTimeout"),
        Fields.transitions(node));
  }
}
