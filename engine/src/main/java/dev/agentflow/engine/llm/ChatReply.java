package dev.agentflow.engine.llm;

import java.util.List;

/**
 * A provider's answer to one {@link ChatCall}.
 *
 * @param content reply text, empty (never null) when the model only asks for tools
 * @param toolCalls tool calls requested, possibly empty
 * @param finishReason lower-case finish reason: stop, tool_calls, length, content_filter, other
 * @param usage tokens spent
 * @param rateLimit what the provider's headers said about its token budget, or null
 */
public record ChatReply(
    String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage, ProviderRateLimit rateLimit) {

  public ChatReply {
    content = content == null ? "" : content;
    finishReason = finishReason == null ? (toolCalls.isEmpty() ? "stop" : "tool_calls") : finishReason;
    usage = usage == null ? TokenUsage.ZERO : usage;
    toolCalls = List.copyOf(toolCalls);
  }

  /** A reply without rate-limit information. */
  public ChatReply(String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage) {
    this(content, toolCalls, finishReason, usage, null);
  }

  /** This reply with the provider's rate-limit information. */
  public ChatReply withRateLimit(ProviderRateLimit limit) {
    return new ChatReply(content, toolCalls, finishReason, usage, limit);
  }
}
