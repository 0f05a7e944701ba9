package dev.agentflow.engine.llm.offline;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One scripted model reply.
 *
 * @param content reply text, or null
 * @param toolCalls tool calls to request, possibly empty
 * @param usage tokens to report, or null to estimate from text length
 * @param finishReason finish reason to report (e.g. {@code content_filter}), or null for the natural one
 * @param delayMs how long the "model" takes to answer, in milliseconds (null or 0: at once); a
 *     cancelled call stops waiting
 */
public record ScriptedReply(
    String content, List<ScriptedToolCall> toolCalls, Usage usage, String finishReason, Long delayMs) {

  public ScriptedReply {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
  }

  /** A reply without a delay. */
  public ScriptedReply(String content, List<ScriptedToolCall> toolCalls, Usage usage, String finishReason) {
    this(content, toolCalls, usage, finishReason, null);
  }

  /**
   * A scripted tool call.
   *
   * @param arguments a JSON object, or a string holding one
   */
  public record ScriptedToolCall(String name, JsonNode arguments) {}

  /** Scripted token counts. */
  public record Usage(long input, long output) {}
}
