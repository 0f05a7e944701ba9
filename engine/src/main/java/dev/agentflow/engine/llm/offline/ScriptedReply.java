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
 */
public record ScriptedReply(String content, List<ScriptedToolCall> toolCalls, Usage usage, String finishReason) {

  public ScriptedReply {
    toolCalls = toolCalls == null ? List.of() : List.copyOf(toolCalls);
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
