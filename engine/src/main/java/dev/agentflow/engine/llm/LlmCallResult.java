package dev.agentflow.engine.llm;

import java.util.List;

/**
 * Output of one LLM activity.
 *
 * @param conversationRef reference of the conversation including the new messages and the reply
 * @param content the reply text (may be empty when the model only asks for tools)
 * @param toolCalls tool calls requested; empty when the model answered
 * @param finishReason provider's finish reason, normalised to lower case (stop, tool_calls, length, content_filter, …)
 * @param usage tokens spent by this call
 * @param costUsd what the call cost in US dollars, or null when no price is known for the model
 * @param schemaErrors why the final answer does not match the node's output schema, or null when
 *     it does (only set when the request asked for it; the reply is still in the conversation)
 */
public record LlmCallResult(
    String conversationRef,
    String content,
    List<ToolCall> toolCalls,
    String finishReason,
    TokenUsage usage,
    Double costUsd,
    String schemaErrors) {

  /** A result whose reply is usable as it is. */
  public LlmCallResult(
      String conversationRef, String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage,
      Double costUsd) {
    this(conversationRef, content, toolCalls, finishReason, usage, costUsd, null);
  }

  /** A result without a cost (no price known). */
  public LlmCallResult(
      String conversationRef, String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage) {
    this(conversationRef, content, toolCalls, finishReason, usage, null, null);
  }
}
