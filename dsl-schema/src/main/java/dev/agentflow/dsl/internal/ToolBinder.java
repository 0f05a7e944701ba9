package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ToolNode;

/** {@code kind: tool}. */
final class ToolBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return ToolNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    JsonNode arguments = Fields.copy(node, "arguments");
    return new ToolNode(
        id,
        node.path("tool").asText(),
        arguments != null ? arguments : JsonNodeFactory.instance.objectNode(),
        Fields.text(node, "onError"),
        Fields.transitions(node));
  }
}
