package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.Node;

/** {@code kind: end}. */
final class EndBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return EndNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return new EndNode(id, Fields.text(node, "output"));
  }
}
