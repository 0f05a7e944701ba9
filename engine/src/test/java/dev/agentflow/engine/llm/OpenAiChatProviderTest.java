package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.openai.OpenAiChatProvider;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.StubResponse.StubToolCall;
import dev.agentflow.engine.testing.TestModels;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The OpenAI provider through the real langchain4j client over real HTTP against the stub. */
class OpenAiChatProviderTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

  private final StubOpenAiServer stub = StubOpenAiServer.start();
  private final OpenAiChatProvider provider =
      new OpenAiChatProvider(TestModels.secrets(), TestModels.stubPolicy(), Clock.fixed(NOW, ZoneOffset.UTC));
  private final ModelSpec model = TestModels.stubModel(stub, Duration.ofSeconds(5));

  @AfterEach
  void stopStub() {
    stub.close();
  }

  private ChatCall call(ModelSpec spec, List<ToolSpec> tools, JsonNode outputSchema) {
    return new ChatCall(
        List.of(ChatMessage.system("be brief"), ChatMessage.user("what is 6*7?")),
        spec,
        tools,
        outputSchema,
        "graph",
        "agent",
        0);
  }

  private ChatCall call() {
    return call(model, List.of(), null);
  }

  private LlmCallException failureOf(ChatCall call) {
    return catchThrowableOfType(LlmCallException.class, () -> provider.chat(call));
  }

  @Test
  void should_return_text_finish_reason_and_usage_of_a_reply() {
    stub.enqueue(StubResponse.text("42", 31, 7));

    ChatReply reply = provider.chat(call());

    assertThat(reply.content()).isEqualTo("42");
    assertThat(reply.toolCalls()).isEmpty();
    assertThat(reply.finishReason()).isEqualTo("stop");
    assertThat(reply.usage()).isEqualTo(new TokenUsage(31, 7));
    JsonNode sent = stub.requests().get(0).body();
    assertThat(sent.path("model").asText()).isEqualTo("gpt-test");
    assertThat(sent.path("messages")).hasSize(2);
    assertThat(stub.requests().get(0).headers().get("authorization")).isEqualTo("Bearer " + TestModels.KEY);
  }

  @Test
  void should_send_tool_schemas_and_parse_the_tool_calls_of_a_reply() throws Exception {
    stub.enqueue(StubResponse.toolCalls(new StubToolCall("call_1", "calculator", "{\"expression\":\"6*7\"}")));
    JsonNode parameters =
        JSON.readTree(
            "{\"type\":\"object\",\"properties\":{\"expression\":{\"type\":\"string\",\"description\":\"arithmetic\"}},"
                + "\"required\":[\"expression\"]}");

    ChatReply reply = provider.chat(call(model, List.of(new ToolSpec("calculator", "evaluates", parameters)), null));

    assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_1", "calculator", "{\"expression\":\"6*7\"}"));
    assertThat(reply.finishReason()).isEqualTo("tool_calls");
    JsonNode function = stub.requests().get(0).body().path("tools").get(0).path("function");
    assertThat(function.path("name").asText()).isEqualTo("calculator");
    assertThat(function.path("parameters").path("properties").path("expression").path("description").asText())
        .isEqualTo("arithmetic");
    assertThat(function.path("parameters").path("required").get(0).asText()).isEqualTo("expression");
  }

  @Test
  void should_ask_for_a_json_schema_response_format_when_an_output_schema_is_set() throws Exception {
    stub.enqueue(StubResponse.text("{\"verdict\":\"approve\"}"));
    JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"verdict\":{\"enum\":[\"approve\",\"revise\"]}}}");

    provider.chat(call(model, List.of(), schema));

    JsonNode format = stub.requests().get(0).body().path("response_format");
    assertThat(format.path("type").asText()).isEqualTo("json_schema");
    assertThat(format.path("json_schema").path("schema").path("properties").path("verdict").path("enum"))
        .hasSize(2);
  }

  @Test
  void should_classify_429_as_rate_limited_with_retry_after_seconds() {
    stub.enqueue(StubResponse.rateLimited("3"));

    LlmCallException e = failureOf(call());

    assertThat(e.type()).isEqualTo("RateLimited");
    assertThat(e.retryable()).isTrue();
    assertThat(e.retryAfter()).contains(Duration.ofSeconds(3));
  }

  @Test
  void should_read_an_http_date_retry_after() {
    String date = DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.ofInstant(NOW.plusSeconds(7), ZoneOffset.UTC));
    stub.enqueue(StubResponse.rateLimited(date));

    assertThat(failureOf(call()).retryAfter()).contains(Duration.ofSeconds(7));
  }

  @Test
  void should_classify_500_as_retryable_provider_unavailable() {
    stub.enqueue(StubResponse.serverError());

    LlmCallException e = failureOf(call());

    assertThat(e.type()).isEqualTo("ProviderUnavailable");
    assertThat(e.retryable()).isTrue();
    assertThat(stub.requestCount()).as("the SDK must not retry by itself").isEqualTo(1);
  }

  @Test
  void should_classify_a_content_filter_400_as_non_retryable_content_filter_error() {
    stub.enqueue(StubResponse.contentFilter());

    LlmCallException e = failureOf(call());

    assertThat(e.type()).isEqualTo("ContentFilterError");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void should_classify_another_400_as_non_retryable_invalid_prompt() {
    stub.enqueue(StubResponse.badRequest());

    LlmCallException e = failureOf(call());

    assertThat(e.type()).isEqualTo("InvalidPromptError");
    assertThat(e.retryable()).isFalse();
  }

  @Test
  void should_classify_a_reply_slower_than_the_timeout_as_retryable_provider_unavailable() {
    stub.enqueue(StubResponse.text("too late").delayedBy(Duration.ofSeconds(3)));
    long start = System.nanoTime();

    LlmCallException e = failureOf(call(TestModels.stubModel(stub, Duration.ofMillis(700)), List.of(), null));

    assertThat(e.type()).isEqualTo("ProviderUnavailable");
    assertThat(e.retryable()).isTrue();
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(3));
  }

  @Test
  void should_classify_401_as_authentication_error_without_leaking_the_key() {
    stub.enqueue(StubResponse.unauthorized(TestModels.KEY));

    LlmCallException e = failureOf(call());

    assertThat(e.type()).isEqualTo("AuthenticationError");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("HTTP 401").doesNotContain(TestModels.KEY);
    assertThat(e.toString()).doesNotContain(TestModels.KEY);
    assertThat(e.getCause()).isNull();
  }

  @Test
  void should_classify_404_as_model_not_found() {
    stub.enqueue(StubResponse.modelNotFound());

    assertThat(failureOf(call()).type()).isEqualTo("ModelNotFound");
  }

  @Test
  void should_classify_a_refused_connection_as_provider_unavailable() {
    String deadUrl = stub.baseUrl();
    stub.close();
    ModelSpec dead = new ModelSpec("openai", "gpt-test", deadUrl, TestModels.KEY_REF, null, null, Duration.ofSeconds(2), null);

    LlmCallException e = failureOf(call(dead, List.of(), null));

    assertThat(e.type()).isEqualTo("ProviderUnavailable");
    assertThat(e.getMessage()).doesNotContain(TestModels.KEY);
  }

  @Test
  void should_fail_with_authentication_error_naming_the_reference_when_the_key_is_not_set() {
    OpenAiChatProvider noKey = new OpenAiChatProvider(new SecretResolver(Map.of()), TestModels.stubPolicy(), Clock.systemUTC());

    LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> noKey.chat(call()));

    assertThat(e.type()).isEqualTo("AuthenticationError");
    assertThat(e.getMessage()).contains(TestModels.KEY_REF);
    assertThat(stub.requestCount()).isZero();
  }

  @Test
  void should_never_echo_a_key_pasted_in_place_of_a_reference() {
    ModelSpec pasted = new ModelSpec("openai", "gpt-test", stub.baseUrl(), TestModels.KEY, null, null, Duration.ofSeconds(2), null);

    LlmCallException e = failureOf(call(pasted, List.of(), null));

    assertThat(e.type()).isEqualTo("AuthenticationError");
    assertThat(e.getMessage()).doesNotContain(TestModels.KEY);
  }

  @Test
  void should_take_the_base_url_from_openai_base_url_when_the_model_has_none() {
    OpenAiChatProvider fromEnv =
        new OpenAiChatProvider(TestModels.secrets(), WorkerPolicy.from(TestModels.stubSettings(),
            name -> name.equals("OPENAI_BASE_URL") ? stub.baseUrl() : null), Clock.systemUTC());
    stub.enqueue(StubResponse.text("hi"));
    ModelSpec noUrl = new ModelSpec("openai", "gpt-test", null, TestModels.KEY_REF, null, null, Duration.ofSeconds(5), null);

    assertThat(fromEnv.chat(call(noUrl, List.of(), null)).content()).isEqualTo("hi");
  }
}
