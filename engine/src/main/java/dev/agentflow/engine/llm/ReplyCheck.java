package dev.agentflow.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Decides, the same way for every provider, whether a reply can be used: a {@code content_filter}
 * finish reason is a non-retryable {@code ContentFilterError}, and a final answer (no tool calls)
 * must validate against the node's output schema.
 */
final class ReplyCheck {

  private final OutputSchemaValidator validator = new OutputSchemaValidator();

  void check(ChatReply reply, JsonNode outputSchema, String nodeId) {
    if ("content_filter".equalsIgnoreCase(reply.finishReason())) {
      throw LlmCallException.contentFilter(
          "node '" + nodeId + "': the provider stopped the reply with finish reason content_filter");
    }
    if (outputSchema != null && !outputSchema.isNull() && reply.toolCalls().isEmpty()) {
      validator.validate(reply.content(), outputSchema, nodeId);
    }
  }
}
