package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.engine.llm.admission.AdmissionStore.Attempt;
import dev.agentflow.engine.llm.admission.InMemoryAdmissionStoreTest.MovingClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Calls waiting for a pool's window, on a clock the waiting itself moves. */
class PoolAdmissionTest {

  private static final long TPM = 6000;

  private final MovingClock clock = new MovingClock();
  private final InMemoryAdmissionStore store = new InMemoryAdmissionStore(clock);
  private final List<String> waitingNotes = new ArrayList<>();

  private PoolAdmission admission(RateLimits limits) {
    return new PoolAdmission(store, Map.of("openai", limits), clock::advance);
  }

  private record Sent(Instant at, long tokens) {}

  @Test
  void should_keep_every_minute_within_the_limit_and_use_at_least_nine_tenths_of_it_over_five_minutes()
      throws InterruptedException {
    PoolAdmission admission = admission(new RateLimits(TPM, 0));
    Random random = new Random(7);
    List<Sent> sent = new ArrayList<>();
    Instant start = clock.instant();
    while (clock.instant().isBefore(start.plus(Duration.ofMinutes(5)))) {
      long prompt = 50 + random.nextInt(400);
      long maxTokens = 200;
      PoolAdmission.Permit permit = admission.admit("openai", prompt + maxTokens, waitingNotes::add);
      long used = prompt + 100 + random.nextInt(100);
      sent.add(new Sent(clock.instant(), used));
      permit.settle(used);
      clock.advance(Duration.ofMillis(30));
    }

    long worstMinute = 0;
    for (Sent from : sent) {
      long inMinute = sent.stream()
          .filter(s -> !s.at().isBefore(from.at()) && s.at().isBefore(from.at().plus(SlidingWindow.MINUTE)))
          .mapToLong(Sent::tokens).sum();
      worstMinute = Math.max(worstMinute, inMinute);
    }
    long inFiveMinutes = sent.stream()
        .filter(s -> s.at().isBefore(start.plus(Duration.ofMinutes(5)))).mapToLong(Sent::tokens).sum();
    assertThat(worstMinute).isLessThanOrEqualTo(TPM);
    assertThat(inFiveMinutes).isGreaterThanOrEqualTo((long) (0.9 * 5 * TPM));
    assertThat(waitingNotes).isNotEmpty();
  }

  @Test
  void should_say_what_a_waiting_call_waits_for() throws InterruptedException {
    PoolAdmission admission = admission(new RateLimits(TPM, 0));
    admission.admit("openai", TPM, waitingNotes::add);

    admission.admit("openai", 500, waitingNotes::add);

    assertThat(waitingNotes.get(0))
        .isEqualTo("waiting for capacity in pool 'openai': 500 tokens, 0 call(s) ahead, limits 6000 tokens per minute");
  }

  @Test
  void should_tell_a_call_far_back_in_line_every_second_that_it_still_waits_without_asking_the_store_again()
      throws InterruptedException {
    List<Duration> sleeps = new ArrayList<>();
    int[] asks = {0};
    AdmissionStore farBack = new AdmissionStore() {
      @Override
      public long enqueue(String pool, long tokens) {
        return 31;
      }

      @Override
      public Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
        asks[0]++;
        return asks[0] == 1
            ? new Attempt(-1, Duration.ofSeconds(40), 30, Duration.ofMillis(3500))
            : Attempt.admitted(1);
      }

      @Override
      public void leave(String pool, long ticket) {}

      @Override
      public void settle(String pool, long admission, long tokens) {}

      @Override
      public void tighten(String pool, RateLimits limits, long remainingTokens, Duration resetAfter) {}

      @Override
      public void pause(String pool, RateLimits limits, Duration retryAfter) {}
    };
    PoolAdmission admission = new PoolAdmission(farBack, Map.of("openai", new RateLimits(TPM, 0)), sleeps::add);

    admission.admit("openai", 10, waitingNotes::add);

    assertThat(asks[0]).isEqualTo(2);
    assertThat(sleeps).containsExactly(
        Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofSeconds(1), Duration.ofMillis(500));
    assertThat(waitingNotes).hasSize(4).allMatch(note -> note.contains("30 call(s) ahead"));
  }

  @Test
  void should_admit_calls_of_a_pool_without_limits_at_once_and_record_nothing() throws InterruptedException {
    PoolAdmission admission = admission(new RateLimits(TPM, 0));

    for (int i = 0; i < 100; i++) {
      assertThat(admission.admit("offline", 1_000_000, waitingNotes::add).counted()).isFalse();
    }

    assertThat(waitingNotes).isEmpty();
    assertThat(clock.instant()).isEqualTo(Instant.parse("2026-01-01T00:00:00Z"));
  }

  @Test
  void should_leave_the_line_when_interrupted_while_waiting() throws InterruptedException {
    PoolAdmission full = admission(new RateLimits(TPM, 0));
    full.admit("openai", TPM, waitingNotes::add);
    PoolAdmission interrupted = new PoolAdmission(store, Map.of("openai", new RateLimits(TPM, 0)), duration -> {
      throw new InterruptedException("cancelled");
    });

    assertThatThrownBy(() -> interrupted.admit("openai", 10, waitingNotes::add)).isInstanceOf(InterruptedException.class);

    long next = store.enqueue("openai", 10);
    assertThat(store.tryAdmit("openai", next, 10, new RateLimits(TPM, 0)).ahead()).isZero();
  }

  @Test
  void should_hold_the_pool_for_the_retry_after_of_a_429() throws InterruptedException {
    PoolAdmission admission = admission(new RateLimits(TPM, 0));
    PoolAdmission.Permit refused = admission.admit("openai", 100, waitingNotes::add);
    Instant refusedAt = clock.instant();

    refused.pause(Duration.ofSeconds(7));
    admission.admit("openai", 100, waitingNotes::add);

    assertThat(Duration.between(refusedAt, clock.instant())).isBetween(Duration.ofSeconds(7), Duration.ofSeconds(8));
  }
}
