package dev.agentflow.dsl;

import java.time.Duration;
import java.util.List;

/**
 * A retry policy as written in a definition; the engine maps it onto Temporal's RetryOptions.
 *
 * @param nonRetryable error types never retried, added to the engine's own non-retryable types
 */
public record RetrySpec(
    Duration initialInterval,
    double backoff,
    Duration maxInterval,
    int maxAttempts,
    List<String> nonRetryable) {

  /** The seed's LLM policy: 2 s initial, x2, 30 s max, 5 attempts. */
  public static final RetrySpec DEFAULT =
      new RetrySpec(Duration.ofSeconds(2), 2.0, Duration.ofSeconds(30), 5, List.of());
}
