package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentflow.engine.secret.SecretResolver;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretResolverTest {

  private final SecretResolver secrets = new SecretResolver(Map.of("API_KEY", "s3cr3t-value", "BLANK", " "));

  @Test
  void should_resolve_an_env_reference() {
    assertThat(secrets.resolve("env:API_KEY")).contains("s3cr3t-value");
  }

  @Test
  void should_treat_unset_and_blank_variables_as_absent() {
    assertThat(secrets.resolve("env:MISSING")).isEmpty();
    assertThat(secrets.resolve("env:BLANK")).isEmpty();
    assertThat(secrets.isSet("env:MISSING")).isFalse();
  }

  @Test
  void should_reject_a_value_that_is_not_a_reference_without_echoing_it() {
    IllegalArgumentException e = catchThrowableOfType(IllegalArgumentException.class, () -> secrets.resolve("sk-pasted-key"));

    assertThat(e.getMessage()).contains("env:NAME").doesNotContain("sk-pasted-key");
  }
}
