package dev.agentflow.engine.llm;

import java.util.List;

/**
 * A provider's answer to one {@link ChatCall}.
 *
 * @param content reply text, empty (never null) when the model only asks for tools
 * @param toolCalls tool calls requested, possibly empty
 * @param finishReason lower-case finish reason: stop, tool_calls, length, content_filter, other
 * @param usage tokens spent
 */
public record ChatReply(String content, List<ToolCall> toolCalls, String finishReason, TokenUsage usage) {

  public ChatReply {
    content = content == null ? "" : content;
    finishReason = finishReason == null ? (toolCalls.isEmpty() ? "stop" : "tool_calls") : finishReason;
    usage = usage == null ? TokenUsage.ZERO : usage;
    toolCalls = List.copyOf(toolCalls);
  }
}
