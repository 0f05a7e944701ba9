package dev.agentflow.dsl.internal;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Parses the DSL's duration strings ({@code 500ms}, {@code 30s}, {@code 2m}, {@code 1h}): one whole
 * number and one unit, the same rule as the schema's {@code duration} pattern.
 */
public final class Durations {

  private static final Pattern DURATION = Pattern.compile("([1-9][0-9]*)(ms|s|m|h)");

  private Durations() {}

  /**
   * @throws IllegalArgumentException when the text is not a duration (the schema rejects those
   *     first, so this means the caller skipped validation)
   */
  public static Duration parse(String text) {
    Matcher matcher = DURATION.matcher(text);
    if (!matcher.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a duration (expected e.g. 500ms, 30s, 2m, 1h)");
    }
    long amount = Long.parseLong(matcher.group(1));
    return switch (matcher.group(2)) {
      case "ms" -> Duration.ofMillis(amount);
      case "s" -> Duration.ofSeconds(amount);
      case "m" -> Duration.ofMinutes(amount);
      default -> Duration.ofHours(amount);
    };
  }
}
