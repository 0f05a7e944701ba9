package dev.agentflow.engine.llm.openai;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.ChatCall;
import dev.agentflow.engine.llm.ChatProvider;
import dev.agentflow.engine.llm.ChatReply;
import dev.agentflow.engine.llm.LlmCallException;
import dev.agentflow.engine.secret.SecretResolver;
import dev.langchain4j.model.chat.Capability;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.openai.OpenAiChatModel;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Any OpenAI-compatible endpoint (OpenAI, gateways, Ollama, vLLM, LM Studio) through langchain4j's
 * {@link OpenAiChatModel}, with its retries off (Temporal retries) and its HTTP client replaced by
 * one that keeps {@code Retry-After}. The API key is resolved here, inside the activity, and is
 * redacted from every failure message.
 *
 * <p>One model instance is cached per configuration (endpoint, model, key reference, timeout,
 * temperature, max tokens); instances are thread-safe.
 */
public final class OpenAiChatProvider implements ChatProvider {

  /** langchain4j's default endpoint, used when neither the model nor the environment names one. */
  public static final String DEFAULT_BASE_URL = "https://api.openai.com/v1";

  public static final String DEFAULT_API_KEY_REF = "env:OPENAI_API_KEY";

  private final SecretResolver secrets;
  private final Function<String, String> environment;
  private final OpenAiErrorClassifier classifier;
  private final Map<ModelConfig, CachedModel> models = new ConcurrentHashMap<>();

  /** A provider reading {@code OPENAI_BASE_URL} from the process environment. */
  public OpenAiChatProvider(SecretResolver secrets) {
    this(secrets, System::getenv, Clock.systemUTC());
  }

  /**
   * @param environment looks up {@code OPENAI_BASE_URL}
   * @param clock used to turn an HTTP-date {@code Retry-After} into a delay
   */
  public OpenAiChatProvider(SecretResolver secrets, Function<String, String> environment, Clock clock) {
    this.secrets = secrets;
    this.environment = environment;
    this.classifier = new OpenAiErrorClassifier(clock);
  }

  @Override
  public ChatReply chat(ChatCall call) {
    ModelConfig config = configOf(call.model());
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

  private ModelConfig configOf(ModelSpec spec) {
    String baseUrl = spec.baseUrl();
    if (baseUrl == null || baseUrl.isBlank()) {
      String fromEnvironment = environment.apply("OPENAI_BASE_URL");
      baseUrl = fromEnvironment == null || fromEnvironment.isBlank() ? DEFAULT_BASE_URL : fromEnvironment;
    }
    String keyRef = spec.apiKey() == null || spec.apiKey().isBlank() ? DEFAULT_API_KEY_REF : spec.apiKey();
    Duration timeout = spec.timeout() == null ? ModelSpec.DEFAULT_TIMEOUT : spec.timeout();
    return new ModelConfig(baseUrl, spec.model(), keyRef, timeout, spec.temperature(), spec.maxTokens());
  }

  private CachedModel build(ModelConfig config) {
    String apiKey = resolveKey(config);
    OpenAiChatModel model =
        OpenAiChatModel.builder()
            .httpClientBuilder(new ObservingHttpClientBuilder())
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

  private String resolveKey(ModelConfig config) {
    try {
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

  /** What makes two models different; holds the key's reference, never the key. */
  private record ModelConfig(
      String baseUrl, String model, String apiKeyRef, Duration timeout, Double temperature, Integer maxTokens) {}

  private record CachedModel(OpenAiChatModel model, SecretRedactor redactor) {}
}
