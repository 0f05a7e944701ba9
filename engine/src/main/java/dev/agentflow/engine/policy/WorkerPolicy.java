package dev.agentflow.engine.policy;

import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ProviderSettings;
import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.secret.SecretPolicy;
import dev.agentflow.tools.egress.Egress;
import java.util.Objects;
import java.util.function.Function;

/**
 * What a worker allows, in one place: its secret grants, its egress policy with the shared HTTP
 * client setup (used by tools and providers alike), and the model endpoint the operator set. Built
 * once per worker from the engine config.
 *
 * @param secrets which tool and provider may read which secret, and where it may be sent
 * @param egress the egress policy and the HTTP client every tool and provider connects through
 * @param openAiBaseUrl the operator's endpoint for {@code openai} models that name none: {@code
 *     providers.openai.baseUrl}, else {@code OPENAI_BASE_URL}, else {@value #DEFAULT_OPENAI_BASE_URL};
 *     trusted, so a local Ollama or vLLM works without an egress entry
 */
public record WorkerPolicy(SecretPolicy secrets, Egress egress, String openAiBaseUrl) {

  public static final String DEFAULT_OPENAI_BASE_URL = "https://api.openai.com/v1";

  public WorkerPolicy {
    Objects.requireNonNull(secrets, "secrets");
    Objects.requireNonNull(egress, "egress");
    openAiBaseUrl = openAiBaseUrl == null || openAiBaseUrl.isBlank() ? DEFAULT_OPENAI_BASE_URL : openAiBaseUrl.strip();
  }

  /** The policy of an engine config; {@code environment} supplies {@code OPENAI_BASE_URL}. */
  public static WorkerPolicy from(AgentflowConfig settings, Function<String, String> environment) {
    return from(settings, environment, new Egress(settings.egress().toPolicy()));
  }

  /** As {@link #from(AgentflowConfig, Function)} over a given egress setup (tests inject seams there). */
  public static WorkerPolicy from(AgentflowConfig settings, Function<String, String> environment, Egress egress) {
    ProviderSettings openai = settings.providers().get(ProviderRegistry.OPENAI);
    String baseUrl = openai == null ? null : openai.baseUrl();
    if (baseUrl == null || baseUrl.isBlank()) {
      baseUrl = environment.apply("OPENAI_BASE_URL");
    }
    return new WorkerPolicy(SecretPolicy.of(settings.secrets()), egress, baseUrl);
  }

  /** The defaults: no config file, no {@code OPENAI_BASE_URL}. */
  public static WorkerPolicy defaults() {
    return from(AgentflowConfig.defaults(), name -> null);
  }

  /**
   * Whether a model's {@code baseUrl} is the operator's (null or blank, or the same endpoint as
   * {@link #openAiBaseUrl}) rather than one a definition chose.
   */
  public boolean isOperatorEndpoint(String modelBaseUrl) {
    return modelBaseUrl == null || modelBaseUrl.isBlank() || normalise(modelBaseUrl).equals(normalise(openAiBaseUrl));
  }

  /** The endpoint a model with this {@code baseUrl} is called at. */
  public String endpointOf(String modelBaseUrl) {
    return modelBaseUrl == null || modelBaseUrl.isBlank() ? openAiBaseUrl : modelBaseUrl.strip();
  }

  private static String normalise(String url) {
    String stripped = url.strip();
    while (stripped.endsWith("/")) {
      stripped = stripped.substring(0, stripped.length() - 1);
    }
    return stripped.toLowerCase(java.util.Locale.ROOT);
  }
}
