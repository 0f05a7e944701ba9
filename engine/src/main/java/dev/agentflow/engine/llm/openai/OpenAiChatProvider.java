package dev.agentflow.engine.llm.openai;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.ChatCall;
import dev.agentflow.engine.llm.ChatProvider;
import dev.agentflow.engine.llm.ChatReply;
import dev.agentflow.engine.llm.LlmCallException;
import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressSession;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import okhttp3.HttpUrl;

/**
 * Any OpenAI-compatible endpoint (OpenAI, gateways, Ollama, vLLM, LM Studio) through langchain4j's
 * {@link OpenAiChatModel}, with its retries off (Temporal retries) and its HTTP client replaced by
 * the worker's egress client, which keeps {@code Retry-After}.
 *
 * <p>The endpoint is the model's {@code baseUrl} or, when it names none, the operator's ({@link
 * WorkerPolicy#openAiBaseUrl()}). The operator's endpoint is trusted; one a definition wrote goes
 * through the egress policy (and the definition's narrowing). The API key is resolved here, inside
 * the activity, only if the worker grants it to provider {@code openai} and, for a definition's
 * endpoint, names that host in the secret's {@code hosts}; it is redacted from every failure message.
 *
 * <p>One model instance is cached per configuration (endpoint, model, key reference, timeout,
 * temperature, max tokens, narrowing); instances are thread-safe.
 */
public final class OpenAiChatProvider implements ChatProvider {

  /** langchain4j's default endpoint, used when neither the model nor the operator names one. */
  public static final String DEFAULT_BASE_URL = WorkerPolicy.DEFAULT_OPENAI_BASE_URL;

  public static final String DEFAULT_API_KEY_REF = "env:OPENAI_API_KEY";

  private final SecretResolver secrets;
  private final WorkerPolicy policy;
  private final OpenAiErrorClassifier classifier;
  private final Map<ModelConfig, CachedModel> models = new ConcurrentHashMap<>();

  public OpenAiChatProvider(SecretResolver secrets, WorkerPolicy policy) {
    this(secrets, policy, Clock.systemUTC());
  }

  /**
   * @param policy secret grants, egress policy and client, the operator's endpoint
   * @param clock used to turn an HTTP-date {@code Retry-After} into a delay
   */
  public OpenAiChatProvider(SecretResolver secrets, WorkerPolicy policy, Clock clock) {
    this.secrets = secrets;
    this.policy = policy;
    this.classifier = new OpenAiErrorClassifier(clock);
  }

  @Override
  public ChatReply chat(ChatCall call) {
    ModelConfig config = configOf(call.model(), call.egressAllow());
    String where = "openai model '" + config.model() + "' at " + config.baseUrl();
    CachedModel cached = models.computeIfAbsent(config, this::build);
    ChatRequest.Builder request;
    try {
      request = ChatRequest.builder().messages(LangChainMapping.messages(call.messages()));
    } catch (IllegalArgumentException e) {
      throw LlmCallException.invalidPrompt(where + ": the conversation cannot be sent: " + e.getMessage());
    }
    if (!call.tools().isEmpty()) {
      request.toolSpecifications(call.tools().stream().map(LangChainMapping::tool).toList());
    }
    if (call.outputSchema() != null && !call.outputSchema().isNull()) {
      request.responseFormat(LangChainMapping.responseFormat(call.outputSchema()));
    }
    try {
      return LangChainMapping.reply(cached.model().chat(request.build()));
    } catch (RuntimeException e) {
      throw classifier.classify(e, where, cached.redactor());
    }
  }

  private ModelConfig configOf(ModelSpec spec, List<String> egressAllow) {
    boolean operatorEndpoint = policy.isOperatorEndpoint(spec.baseUrl());
    String keyRef = spec.apiKey() == null || spec.apiKey().isBlank() ? DEFAULT_API_KEY_REF : spec.apiKey();
    Duration timeout = spec.timeout() == null ? ModelSpec.DEFAULT_TIMEOUT : spec.timeout();
    return new ModelConfig(policy.endpointOf(spec.baseUrl()), operatorEndpoint, operatorEndpoint ? null : egressAllow,
        spec.model(), keyRef, timeout, spec.temperature(), spec.maxTokens());
  }

  private CachedModel build(ModelConfig config) {
    EgressSession session = session(config);
    String apiKey = resolveKey(config);
    OpenAiChatModel model =
        OpenAiChatModel.builder()
            .httpClientBuilder(new ObservingHttpClientBuilder(session))
            .baseUrl(config.baseUrl())
            .apiKey(apiKey)
            .modelName(config.model())
            .temperature(config.temperature())
            .maxTokens(config.maxTokens())
            .timeout(config.timeout())
            .maxRetries(0)
            .strictJsonSchema(false)
            .supportedCapabilities(Capability.RESPONSE_FORMAT_JSON_SCHEMA)
            .logRequests(false)
            .logResponses(false)
            .build();
    return new CachedModel(model, new SecretRedactor(apiKey));
  }

  private EgressSession session(ModelConfig config) {
    if (config.operatorEndpoint()) {
      return policy.egress().trusted();
    }
    try {
      return policy.egress().session(EgressNarrowing.of(config.egressAllow()));
    } catch (IllegalArgumentException e) {
      throw LlmCallException.egressRefused("the definition's " + e.getMessage());
    }
  }

  private String resolveKey(ModelConfig config) {
    try {
      Optional<String> refusal = policy.secrets().refuseForProvider(config.apiKeyRef(), ProviderRegistry.OPENAI);
      if (refusal.isEmpty() && !config.operatorEndpoint()) {
        refusal = policy.secrets().refuseDefinitionEndpoint(config.apiKeyRef(), hostOf(config.baseUrl()));
      }
      if (refusal.isPresent()) {
        throw LlmCallException.secretNotAllowed("apiKey of model '" + config.model() + "': " + refusal.get());
      }
      return secrets
          .resolve(config.apiKeyRef())
          .orElseThrow(
              () ->
                  LlmCallException.authentication(
                      "the API key secret " + config.apiKeyRef() + " of model '" + config.model() + "' is not set"));
    } catch (IllegalArgumentException e) {
      throw LlmCallException.authentication("apiKey of model '" + config.model() + "': " + e.getMessage());
    }
  }

  private static String hostOf(String baseUrl) {
    HttpUrl url = HttpUrl.parse(baseUrl);
    if (url == null) {
      throw LlmCallException.egressRefused("the model baseUrl is not an absolute http or https URL");
    }
    return url.host();
  }

  /** What makes two models different; holds the key's reference, never the key. */
  private record ModelConfig(
      String baseUrl,
      boolean operatorEndpoint,
      List<String> egressAllow,
      String model,
      String apiKeyRef,
      Duration timeout,
      Double temperature,
      Integer maxTokens) {}

  private record CachedModel(OpenAiChatModel model, SecretRedactor redactor) {}
}
