package dev.agentflow.engine.llm;

import io.temporal.failure.ApplicationFailure;

/**
 * Maps a classified {@link LlmCallException} onto the Temporal failure the activity throws: same
 * type, non-retryable when retrying cannot help, and the provider's Retry-After as the next retry
 * delay. No cause is attached, so nothing a provider library put into its exceptions reaches
 * workflow history. A call the provider answered and billed carries a {@link BilledCall} as its
 * details, so the run counts it.
 */
final class LlmFailures {

  private LlmFailures() {}

  static ApplicationFailure toApplicationFailure(LlmCallException e, String nodeId, String modelName) {
    ApplicationFailure.Builder failure =
        ApplicationFailure.newBuilder()
            .setType(e.type())
            .setMessage("node '" + nodeId + "', model '" + modelName + "': " + e.getMessage())
            .setNonRetryable(!e.retryable());
    e.retryAfter().ifPresent(failure::setNextRetryDelay);
    e.billedCall().ifPresent(call -> failure.setDetails(call));
    return failure.build();
  }
}
