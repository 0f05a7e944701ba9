package dev.agentflow.engine.workflow;

import java.time.Duration;

/** Durations in messages as the DSL writes them ({@code 3s}, {@code 500ms}, {@code 2m}, {@code 1h}), not {@code PT3S}. */
final class DurationText {

  private DurationText() {}

  /** The largest DSL unit that states {@code duration} exactly. */
  static String of(Duration duration) {
    long millis = duration.toMillis();
    if (millis % 3_600_000 == 0 && millis > 0) {
      return millis / 3_600_000 + "h";
    }
    if (millis % 60_000 == 0 && millis > 0) {
      return millis / 60_000 + "m";
    }
    if (millis % 1_000 == 0 && millis > 0) {
      return millis / 1_000 + "s";
    }
    return millis + "ms";
  }

  /** {@link #of} for runs that write durations as the DSL does, {@link Duration#toString()} for runs recorded before. */
  static String of(Duration duration, RunVersions versions) {
    return versions.fanOutOutcomes() ? of(duration) : duration.toString();
  }
}
