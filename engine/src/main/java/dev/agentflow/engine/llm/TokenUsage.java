package dev.agentflow.engine.llm;

/** Tokens spent by one or more model calls. */
public record TokenUsage(long inputTokens, long outputTokens) {

  public static final TokenUsage ZERO = new TokenUsage(0, 0);

  public long total() {
    return inputTokens + outputTokens;
  }

  public TokenUsage plus(TokenUsage other) {
    return new TokenUsage(inputTokens + other.inputTokens, outputTokens + other.outputTokens);
  }
}
