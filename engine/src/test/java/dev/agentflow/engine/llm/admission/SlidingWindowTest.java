package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The window's arithmetic for calls further back in line than one window lets through. */
class SlidingWindowTest {

  private static final Instant NOW = Instant.parse("2026-01-01T00:00:00Z");
  private static final RateLimits TWO_CALLS = new RateLimits(0, 2);

  @Test
  void should_tell_calls_beyond_the_requests_limit_to_wait_until_the_window_has_emptied_not_to_ask_at_once() {
    List<WindowEntry> entries = List.of(
        new WindowEntry(NOW.minusSeconds(20), 1, 1), new WindowEntry(NOW.minusSeconds(10), 1, 1));

    Duration wait = SlidingWindow.waitFor(entries, NOW, 3, 3, TWO_CALLS);

    assertThat(wait).isEqualTo(SlidingWindow.SPAN.minusSeconds(10));
  }

  @Test
  void should_tell_calls_beyond_the_requests_limit_to_wait_a_window_when_it_is_empty() {
    assertThat(SlidingWindow.waitFor(List.of(), NOW, 3, 3, TWO_CALLS)).isEqualTo(SlidingWindow.SPAN);
  }
}
