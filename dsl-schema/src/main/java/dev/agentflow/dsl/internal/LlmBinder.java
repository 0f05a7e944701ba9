package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Transitions;

/** {@code kind: llm}; also binds the author and reviewer of a review node. */
final class LlmBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return LlmNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    return call(id, node, Fields.text(node, "onMaxIterations"), Fields.text(node, "onError"),
        Fields.budget(node), Fields.transitions(node));
  }

  /** A model call without routes of its own (a review node's author or reviewer). */
  static LlmNode agent(String id, JsonNode agent) {
    return call(id, agent, null, null, null, Transitions.NONE);
  }

  private static LlmNode call(String id, JsonNode node, String onMaxIterations, String onError,
      Budget budget, Transitions transitions) {
    return new LlmNode(
        id,
        node.path("model").asText(),
        Fields.text(node, "system"),
        node.path("prompt").asText(),
        Fields.strings(node.path("tools")),
        Fields.integer(node, "maxIterations", LlmNode.DEFAULT_MAX_ITERATIONS),
        Fields.copy(node, "outputSchema"),
        onMaxIterations,
        onError,
        budget,
        transitions);
  }
}
