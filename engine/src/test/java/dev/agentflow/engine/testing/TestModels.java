package dev.agentflow.engine.testing;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.EgressConfig;
import dev.agentflow.engine.config.SecretGrant;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/** Model settings and secrets for tests against {@link StubOpenAiServer} or offline scripts. */
public final class TestModels {

  /** The secret reference every stub model uses. */
  public static final String KEY_REF = "env:STUB_OPENAI_KEY";

  /** A fake key, long and distinctive so a leak is easy to spot in any text. */
  public static final String KEY = "sk-test-5f1c9a7e2b8d4c6e0a1b3c5d7e9f1a2b";

  /** Fast retries: 200 ms initial, ×2, 2 s max, 5 attempts. */
  public static final RetrySpec FAST_RETRY =
      new RetrySpec(Duration.ofMillis(200), 2.0, Duration.ofSeconds(2), 5, List.of());

  private TestModels() {}

  /**
   * Engine settings for tests against a stub on 127.0.0.1: egress allows {@code 127.0.0.1/32} (the
   * default policy refuses loopback) and {@code STUB_OPENAI_KEY} may go to provider {@code openai}
   * at host 127.0.0.1.
   */
  public static AgentflowConfig stubSettings() {
    return AgentflowConfig.defaults()
        .withEgress(new EgressConfig(List.of("127.0.0.1/32"), List.of(), true))
        .withSecrets(Map.of("STUB_OPENAI_KEY", new SecretGrant(List.of(), List.of("openai"), List.of("127.0.0.1"))));
  }

  /** The worker policy of {@link #stubSettings()}, with no {@code OPENAI_BASE_URL}. */
  public static WorkerPolicy stubPolicy() {
    return WorkerPolicy.from(stubSettings(), name -> null);
  }

  /** A resolver that knows {@link #KEY_REF}. */
  public static SecretResolver secrets() {
    return new SecretResolver(Map.of("STUB_OPENAI_KEY", KEY));
  }

  /** An {@code openai} model on the stub with the given call timeout and fast retries. */
  public static ModelSpec stubModel(StubOpenAiServer stub, Duration timeout) {
    return new ModelSpec("openai", "gpt-test", stub.baseUrl(), KEY_REF, null, null, timeout, FAST_RETRY);
  }

  /** An {@code offline} model (answered from scripts). */
  public static ModelSpec offlineModel() {
    return new ModelSpec("offline", "scripted", null, null, null, null, Duration.ofSeconds(5), FAST_RETRY);
  }
}
