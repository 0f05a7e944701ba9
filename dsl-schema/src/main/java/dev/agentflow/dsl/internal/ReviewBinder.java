package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ReviewNode;

/**
 * {@code kind: review}: author and reviewer become model calls with ids {@code <node>.author} and
 * {@code <node>.reviewer}, without routes of their own.
 */
final class ReviewBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return ReviewNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return new ReviewNode(
        id,
        LlmBinder.agent(id + ".author", node.path("author")),
        LlmBinder.agent(id + ".reviewer", node.path("reviewer")),
        node.path("approved").asText(),
        Fields.text(node, "feedback"),
        Fields.integer(node, "maxRounds", ReviewNode.DEFAULT_MAX_ROUNDS),
        Fields.text(node, "onMaxRounds"),
        Fields.transitions(node));
  }
}
