package dev.agentflow.engine.llm.admission;

/**
 * A pool's per-minute limits, as the provider states them for one API key.
 *
 * @param tokensPerMinute tokens (prompt + completion) in any 60-second window; 0 = unlimited
 * @param requestsPerMinute calls in any 60-second window; 0 = unlimited
 */
public record RateLimits(long tokensPerMinute, int requestsPerMinute) {

  public RateLimits {
    if (tokensPerMinute < 0 || requestsPerMinute < 0) {
      throw new IllegalArgumentException(
          "per-minute limits must be 0 (unlimited) or more, were " + tokensPerMinute + " tokens and "
              + requestsPerMinute + " requests");
    }
  }

  /** Whether either limit is set. */
  public boolean limited() {
    return tokensPerMinute > 0 || requestsPerMinute > 0;
  }
}
