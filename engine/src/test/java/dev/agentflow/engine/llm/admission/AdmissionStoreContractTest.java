package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.llm.admission.AdmissionStore.Attempt;
import java.time.Duration;
import java.util.UUID;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link AdmissionStore} does, whatever keeps its state: tests that need no control of
 * time (the window is a minute long, and each test ends well within one).
 */
abstract class AdmissionStoreContractTest {

  static final RateLimits TPM_1000 = new RateLimits(1000, 0);

  AdmissionStore store;
  String pool;

  protected abstract AdmissionStore newStore() throws Exception;

  @BeforeEach
  void open() throws Exception {
    store = newStore();
    pool = "pool-" + UUID.randomUUID().toString().substring(0, 8);
  }

  Attempt ask(long tokens, RateLimits limits) {
    long ticket = store.enqueue(pool, tokens);
    return store.tryAdmit(pool, ticket, tokens, limits);
  }

  @Test
  void should_admit_calls_while_the_window_has_room_for_their_tokens() {
    assertThat(ask(600, TPM_1000).isAdmitted()).isTrue();
    assertThat(ask(400, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_make_a_call_wait_when_its_tokens_would_pass_the_limit() {
    ask(600, TPM_1000);

    Attempt attempt = ask(401, TPM_1000);

    assertThat(attempt.isAdmitted()).isFalse();
    assertThat(attempt.retryIn()).isGreaterThan(Duration.ofSeconds(55));
  }

  @Test
  void should_count_what_a_call_really_used_once_it_is_settled() {
    Attempt first = ask(900, TPM_1000);
    long ticket = store.enqueue(pool, 300);
    assertThat(store.tryAdmit(pool, ticket, 300, TPM_1000).isAdmitted()).as("900 reserved leaves 100").isFalse();

    store.settle(pool, first.admission(), 500);

    assertThat(store.tryAdmit(pool, ticket, 300, TPM_1000).isAdmitted()).as("500 used leaves 500").isTrue();
  }

  @Test
  void should_admit_waiting_calls_in_the_order_they_came_so_a_long_prompt_is_not_overtaken() {
    Attempt first = ask(700, TPM_1000);
    long longPrompt = store.enqueue(pool, 600);
    assertThat(store.tryAdmit(pool, longPrompt, 600, TPM_1000).isAdmitted()).isFalse();

    long shortPrompt = store.enqueue(pool, 100);
    Attempt shortAttempt = store.tryAdmit(pool, shortPrompt, 100, TPM_1000);

    assertThat(shortAttempt.isAdmitted()).as("100 would fit, but the long prompt came first").isFalse();
    assertThat(shortAttempt.ahead()).isEqualTo(1);
    store.settle(pool, first.admission(), 0);
    assertThat(store.tryAdmit(pool, shortPrompt, 100, TPM_1000).isAdmitted()).isFalse();
    assertThat(store.tryAdmit(pool, longPrompt, 600, TPM_1000).isAdmitted()).isTrue();
    assertThat(store.tryAdmit(pool, shortPrompt, 100, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_let_the_next_call_go_when_the_one_ahead_leaves_the_line() {
    ask(1000, TPM_1000);
    long gaveUp = store.enqueue(pool, 10);
    store.tryAdmit(pool, gaveUp, 10, TPM_1000);
    long next = store.enqueue(pool, 10);

    store.leave(pool, gaveUp);

    assertThat(store.tryAdmit(pool, next, 10, TPM_1000).ahead()).isZero();
  }

  @Test
  void should_limit_the_calls_per_minute() {
    RateLimits twoCalls = new RateLimits(0, 2);
    assertThat(ask(1, twoCalls).isAdmitted()).isTrue();
    assertThat(ask(1, twoCalls).isAdmitted()).isTrue();

    assertThat(ask(1, twoCalls).isAdmitted()).isFalse();
  }

  @Test
  void should_let_a_call_larger_than_the_whole_limit_go_alone_into_an_empty_window() {
    assertThat(ask(5000, TPM_1000).isAdmitted()).isTrue();

    assertThat(ask(1, TPM_1000).isAdmitted()).isFalse();
  }

  @Test
  void should_hold_back_what_the_provider_says_is_no_longer_left() {
    ask(200, TPM_1000);

    store.tighten(pool, TPM_1000, 300, Duration.ofSeconds(20));

    long tooMany = store.enqueue(pool, 301);
    Attempt refused = store.tryAdmit(pool, tooMany, 301, TPM_1000);
    assertThat(refused.isAdmitted()).as("the provider said 300 are left").isFalse();
    assertThat(refused.retryIn()).as("until the provider's reset").isBetween(Duration.ofSeconds(15), Duration.ofSeconds(21));
    store.leave(pool, tooMany);
    assertThat(ask(300, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_not_loosen_the_window_when_the_provider_reports_more_than_is_free() {
    ask(200, TPM_1000);

    store.tighten(pool, TPM_1000, 950, Duration.ofSeconds(20));

    assertThat(ask(800, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_send_nothing_of_the_pool_while_a_429_asked_to_wait() {
    store.pause(pool, TPM_1000, Duration.ofSeconds(30));

    Attempt attempt = ask(1, TPM_1000);

    assertThat(attempt.isAdmitted()).isFalse();
    assertThat(attempt.retryIn()).isBetween(Duration.ofSeconds(25), Duration.ofSeconds(31));
  }

  @Test
  void should_keep_pools_apart() {
    ask(1000, TPM_1000);
    String other = pool + "-other";

    long ticket = store.enqueue(other, 1000);

    assertThat(store.tryAdmit(other, ticket, 1000, TPM_1000).isAdmitted()).isTrue();
  }
}
