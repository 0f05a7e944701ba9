package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/** The in-process store: the contract, and what moving time shows. */
class InMemoryAdmissionStoreTest extends AdmissionStoreContractTest {

  private final MovingClock clock = new MovingClock();

  @Override
  protected AdmissionStore newStore() {
    return new InMemoryAdmissionStore(clock);
  }

  @Test
  void should_admit_again_once_the_first_entries_left_the_window() {
    ask(1000, TPM_1000);
    clock.advance(SlidingWindow.SPAN.minusMillis(1));
    long ticket = store.enqueue(pool, 1);
    assertThat(store.tryAdmit(pool, ticket, 1, TPM_1000).isAdmitted()).isFalse();

    clock.advance(Duration.ofMillis(1));

    assertThat(store.tryAdmit(pool, ticket, 1, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_tell_a_waiting_call_to_come_back_when_the_entry_that_makes_room_leaves() {
    ask(400, TPM_1000);
    clock.advance(Duration.ofSeconds(10));
    ask(400, TPM_1000);

    AdmissionStore.Attempt attempt = ask(500, TPM_1000);

    assertThat(attempt.retryIn()).isEqualTo(SlidingWindow.SPAN.minusSeconds(10));
  }

  @Test
  void should_end_a_provider_hold_at_the_reset_the_provider_gave() {
    store.tighten(pool, TPM_1000, 0, Duration.ofSeconds(5));
    long ticket = store.enqueue(pool, 1000);
    assertThat(store.tryAdmit(pool, ticket, 1000, TPM_1000).isAdmitted()).isFalse();

    clock.advance(Duration.ofSeconds(5));

    assertThat(store.tryAdmit(pool, ticket, 1000, TPM_1000).isAdmitted()).isTrue();
  }

  /** A clock tests move by hand. */
  static final class MovingClock extends Clock {
    private Instant now = Instant.parse("2026-01-01T00:00:00Z");

    void advance(Duration duration) {
      now = now.plus(duration);
    }

    @Override
    public Instant instant() {
      return now;
    }

    @Override
    public ZoneOffset getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }
  }
}
