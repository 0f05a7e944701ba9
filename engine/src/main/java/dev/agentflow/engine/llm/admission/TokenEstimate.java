package dev.agentflow.engine.llm.admission;

import dev.agentflow.engine.llm.ChatCall;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.llm.ToolSpec;

/**
 * What a call is expected to cost before it is sent, in tokens: the prompt, estimated at one token
 * per {@value #CHARS_PER_TOKEN} characters of every message, tool call and tool description plus
 * {@value #PER_MESSAGE} per message (the provider's framing), and the completion at its limit (the
 * model's {@code maxTokens}, or {@value #DEFAULT_COMPLETION} when it sets none). Deliberately
 * generous: a reservation larger than the real usage only waits a little longer, one smaller can
 * earn a 429. Settled with the real usage once the provider answers.
 */
public final class TokenEstimate {

  static final int CHARS_PER_TOKEN = 3;
  static final int PER_MESSAGE = 4;

  /** The completion reserved for a model without {@code maxTokens}. */
  public static final int DEFAULT_COMPLETION = 1024;

  private TokenEstimate() {}

  /** Prompt estimate plus completion limit. */
  public static long of(ChatCall call) {
    return prompt(call) + completion(call);
  }

  static long prompt(ChatCall call) {
    long chars = 0;
    long messages = 0;
    for (ChatMessage message : call.messages()) {
      messages++;
      chars += length(message.content());
      if (message.toolCalls() != null) {
        for (ToolCall toolCall : message.toolCalls()) {
          chars += length(toolCall.name()) + length(toolCall.argumentsJson());
        }
      }
    }
    for (ToolSpec tool : call.tools()) {
      chars += length(tool.name()) + length(tool.description()) + length(String.valueOf(tool.parametersSchema()));
    }
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN + PER_MESSAGE * messages + PER_MESSAGE;
  }

  static long completion(ChatCall call) {
    Integer maxTokens = call.model() == null ? null : call.model().maxTokens();
    return maxTokens == null || maxTokens <= 0 ? DEFAULT_COMPLETION : maxTokens;
  }

  private static int length(String text) {
    return text == null ? 0 : text.length();
  }
}
