package dev.agentflow.engine.llm;

import java.util.List;

/**
 * One message of a conversation. Large tool results are kept by reference ({@code contentRef} into
 * the blob store) so that neither workflow history nor the stored conversation repeats them.
 *
 * @param role system, user, assistant or tool
 * @param content text, or null when {@code contentRef} is set
 * @param contentRef blob reference of the text, or null
 * @param toolCalls tool calls the assistant asked for; empty otherwise
 * @param toolCallId for a tool message: the id of the call it answers
 * @param toolName for a tool message: the tool's name
 */
public record ChatMessage(
    String role, String content, String contentRef, List<ToolCall> toolCalls, String toolCallId, String toolName) {

  public static ChatMessage system(String text) {
    return new ChatMessage("system", text, null, List.of(), null, null);
  }

  public static ChatMessage user(String text) {
    return new ChatMessage("user", text, null, List.of(), null, null);
  }

  public static ChatMessage assistant(String text, List<ToolCall> toolCalls) {
    return new ChatMessage("assistant", text, null, List.copyOf(toolCalls), null, null);
  }

  public static ChatMessage toolResult(ToolCall call, String text, String textRef) {
    return new ChatMessage("tool", text, textRef, List.of(), call.id(), call.name());
  }
}
