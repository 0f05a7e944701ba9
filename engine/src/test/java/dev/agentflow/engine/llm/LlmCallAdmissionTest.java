package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.admission.InMemoryAdmissionStore;
import dev.agentflow.engine.llm.admission.PoolAdmission;
import dev.agentflow.engine.llm.admission.RateLimits;
import dev.agentflow.engine.llm.admission.SlidingWindow;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.InMemoryBlobStore;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.failure.ApplicationFailure;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The activity body with a tokens-per-minute limit on its pool, against the stub over real HTTP;
 * waiting moves a hand-driven clock instead of sleeping, so a minute passes at once.
 */
class LlmCallAdmissionTest {

  private static final long TPM = 5000;

  private final StubOpenAiServer stub = StubOpenAiServer.start();
  private final MovingClock clock = new MovingClock();
  private final InMemoryAdmissionStore store = new InMemoryAdmissionStore(clock);
  private final PoolAdmission admission =
      new PoolAdmission(store, Map.of("openai", new RateLimits(TPM, 0)), clock::advance);
  private final LlmActivitiesImpl activities = new LlmActivitiesImpl(new InMemoryBlobStore(),
      ProviderRegistry.standard(TestModels.secrets(), TestModels.stubPolicy(), ScriptLibrary.empty()),
      ToolRegistry.of(List.of()), Map.of(), admission);
  private final ModelSpec base = TestModels.stubModel(stub, Duration.ofSeconds(5));
  private final ModelSpec model = new ModelSpec(base.provider(), base.model(), base.baseUrl(), base.apiKey(), null,
      1000, base.timeout(), base.retry());

  @AfterEach
  void stopStub() {
    stub.close();
  }

  private LlmCallResult call(String prompt) {
    return activities.callLlm(new LlmCallRequest("graph", "agent", 0, "smart", model, null,
        List.of(ChatMessage.user(prompt)), List.of(), null));
  }

  /** Whether a call of {@code tokens} would be admitted now (asked, then left). */
  private boolean roomFor(long tokens) {
    long ticket = store.enqueue("openai", tokens);
    boolean admitted = store.tryAdmit("openai", ticket, tokens, new RateLimits(TPM, 0)).isAdmitted();
    store.leave("openai", ticket);
    return admitted;
  }

  @Test
  void should_count_a_call_by_its_real_usage_once_answered() {
    stub.enqueue(StubResponse.text("ok", 1200, 300));

    call("hello");

    assertThat(roomFor(TPM - 1500)).as("1,500 used").isTrue();
    assertThat(roomFor(TPM - 1499)).isFalse();
  }

  @Test
  void should_send_a_call_only_once_the_window_has_room_for_its_estimate() {
    stub.enqueue(StubResponse.text("first", 3000, 1200), StubResponse.text("second", 10, 10));
    call("first");
    Instant firstSent = clock.instant();

    call("second: its estimate (prompt + maxTokens 1000) does not fit next to 4,200");

    assertThat(stub.requestCount()).isEqualTo(2);
    assertThat(Duration.between(firstSent, clock.instant())).isGreaterThanOrEqualTo(SlidingWindow.SPAN);
  }

  @Test
  void should_hold_back_what_the_provider_headers_say_is_gone_until_their_reset() {
    stub.enqueue(StubResponse.text("ok", 10, 10)
        .withHeader("x-ratelimit-remaining-tokens", "0")
        .withHeader("x-ratelimit-reset-tokens", "12s"));
    stub.enqueue(StubResponse.text("again", 10, 10));
    call("hello");
    Instant answered = clock.instant();

    call("hello again");

    assertThat(Duration.between(answered, clock.instant())).isBetween(Duration.ofSeconds(12), Duration.ofSeconds(13));
  }

  @Test
  void should_fail_a_429_as_rate_limited_with_its_retry_after_and_hold_the_pool_as_long() {
    stub.enqueue(StubResponse.rateLimited("9"), StubResponse.text("later", 10, 10));

    ApplicationFailure failure = catchThrowableOfType(() -> call("hello"), ApplicationFailure.class);
    Instant refused = clock.instant();
    call("hello again");

    assertThat(failure.getType()).isEqualTo(LlmErrorTypes.RATE_LIMITED);
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(9));
    assertThat(Duration.between(refused, clock.instant())).isBetween(Duration.ofSeconds(9), Duration.ofSeconds(10));
  }

  /** A clock tests move by hand (and the admission's waiting moves). */
  static final class MovingClock extends Clock {
    private volatile Instant now = Instant.parse("2026-01-01T00:00:00Z");

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
    public Clock withZone(ZoneId zone) {
      return this;
    }
  }
}
