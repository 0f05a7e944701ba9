package dev.agentflow.engine.llm;

/**
 * One way of asking a model: OpenAI-compatible HTTP, an offline script, … Implementations are
 * thread-safe and called from activity threads.
 */
public interface ChatProvider {

  /**
   * Makes one call, without retrying (Temporal retries).
   *
   * @throws LlmCallException classified failure; anything else is treated as retryable
   */
  ChatReply chat(ChatCall call);
}
