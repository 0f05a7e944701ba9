package dev.agentflow.dsl;

import java.time.Duration;

/**
 * How to reach one model and how patiently: provider, endpoint, secret reference, and the Temporal
 * timeout and retry policy for each call to it.
 *
 * @param provider {@code openai} (any OpenAI-compatible endpoint) or {@code offline} (scripted)
 * @param model provider's model name
 * @param baseUrl endpoint, or null for the provider default / {@code OPENAI_BASE_URL}
 * @param apiKey secret reference such as {@code env:OPENAI_API_KEY}, never the key itself; null for
 *     the provider default
 * @param temperature sampling temperature, or null for the provider default
 * @param maxTokens reply token cap, or null
 * @param timeout StartToClose timeout of one call
 * @param retry retry policy of a call
 */
public record ModelSpec(
    String provider,
    String model,
    String baseUrl,
    String apiKey,
    Double temperature,
    Integer maxTokens,
    Duration timeout,
    RetrySpec retry) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
}
