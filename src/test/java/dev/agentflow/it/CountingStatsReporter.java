package dev.agentflow.it;

import com.uber.m3.tally.Buckets;
import com.uber.m3.tally.Capabilities;
import com.uber.m3.tally.StatsReporter;
import com.uber.m3.util.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps the Temporal SDK's counters (summed by name, tags ignored), so an IT can read what the
 * worker did, e.g. {@code temporal_sticky_cache_miss}.
 */
final class CountingStatsReporter implements StatsReporter {

  private final Map<String, Long> counters = new ConcurrentHashMap<>();

  long counter(String name) {
    return counters.getOrDefault(name, 0L);
  }

  @Override
  public void reportCounter(String name, Map<String, String> tags, long value) {
    counters.merge(name, value, Long::sum);
  }

  @Override
  public void reportGauge(String name, Map<String, String> tags, double value) {}

  @Override
  public void reportTimer(String name, Map<String, String> tags, Duration interval) {}

  @Override
  public void reportHistogramValueSamples(
      String name, Map<String, String> tags, Buckets buckets, double lower, double upper, long samples) {}

  @Override
  public void reportHistogramDurationSamples(
      String name, Map<String, String> tags, Buckets buckets, Duration lower, Duration upper, long samples) {}

  @Override
  public Capabilities capabilities() {
    return new Capabilities() {
      @Override
      public boolean reporting() {
        return true;
      }

      @Override
      public boolean tagging() {
        return true;
      }
    };
  }

  @Override
  public void flush() {}

  @Override
  public void close() {}
}
