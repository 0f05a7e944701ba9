package dev.agentflow.engine.llm;

import java.time.Duration;

/**
 * What a provider said about its tokens-per-minute budget in a reply's headers ({@code
 * x-ratelimit-remaining-tokens}, {@code x-ratelimit-reset-tokens}): only {@code remainingTokens}
 * are left until {@code resetAfter} from now. Admission uses it to hold back capacity the provider
 * knows is gone (another client on the same key, a stricter limit than configured).
 */
public record ProviderRateLimit(long remainingTokens, Duration resetAfter) {

  /**
   * Parses OpenAI's duration form of {@code x-ratelimit-reset-tokens}: a sequence of number-unit
   * pairs ({@code 6m0s}, {@code 1.5s}, {@code 20ms}, {@code 1h2m}), or plain seconds ({@code 0.5}).
   *
   * @throws IllegalArgumentException when it is neither
   */
  public static Duration parseReset(String text) {
    String value = text.strip();
    if (value.matches("\\d+(\\.\\d+)?")) {
      return Duration.ofMillis(Math.round(Double.parseDouble(value) * 1000));
    }
    java.util.regex.Matcher part = java.util.regex.Pattern.compile("(\\d+(?:\\.\\d+)?)(ms|h|m|s)").matcher(value);
    double millis = 0;
    int end = 0;
    while (part.find() && part.start() == end) {
      double amount = Double.parseDouble(part.group(1));
      millis += switch (part.group(2)) {
        case "h" -> amount * 3_600_000;
        case "m" -> amount * 60_000;
        case "s" -> amount * 1_000;
        default -> amount;
      };
      end = part.end();
    }
    if (end == 0 || end != value.length()) {
      throw new IllegalArgumentException("not a rate-limit reset duration: '" + value + "'");
    }
    return Duration.ofMillis(Math.round(millis));
  }
}
