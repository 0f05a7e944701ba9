package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProviderRateLimitTest {

  @Test
  void should_read_the_reset_in_openai_duration_form() {
    assertThat(ProviderRateLimit.parseReset("6m0s")).isEqualTo(Duration.ofMinutes(6));
    assertThat(ProviderRateLimit.parseReset("1.5s")).isEqualTo(Duration.ofMillis(1500));
    assertThat(ProviderRateLimit.parseReset("20ms")).isEqualTo(Duration.ofMillis(20));
    assertThat(ProviderRateLimit.parseReset("1h2m3s")).isEqualTo(Duration.ofSeconds(3723));
  }

  @Test
  void should_read_the_reset_as_plain_seconds() {
    assertThat(ProviderRateLimit.parseReset("0.25")).isEqualTo(Duration.ofMillis(250));
  }

  @Test
  void should_refuse_a_reset_it_cannot_read() {
    assertThatThrownBy(() -> ProviderRateLimit.parseReset("soon")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProviderRateLimit.parseReset("5s later")).isInstanceOf(IllegalArgumentException.class);
  }
}
