package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.InMemoryBlobStore;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.StubResponse.StubToolCall;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The activity body, called directly (no Temporal), against the stub over real HTTP. */
class LlmActivitiesImplTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final StubOpenAiServer stub = StubOpenAiServer.start();
  private final InMemoryBlobStore blobs = new InMemoryBlobStore();
  private final ProviderRegistry providers = ProviderRegistry.standard(TestModels.secrets(), TestModels.stubPolicy(), ScriptLibrary.empty());
  private final LlmActivitiesImpl activities =
      new LlmActivitiesImpl(blobs, providers, ToolRegistry.of(List.of(new Calculator())));
  private final ModelSpec model = TestModels.stubModel(stub, Duration.ofSeconds(5));

  @AfterEach
  void stopStub() {
    stub.close();
  }

  private LlmCallRequest request(String conversationRef, List<ChatMessage> newMessages, List<String> tools, JsonNode schema) {
    return new LlmCallRequest("graph", "agent", 0, "smart", model, conversationRef, newMessages, tools, schema);
  }

  @Test
  void should_grow_the_conversation_and_send_tool_results_resolved_from_their_reference() {
    stub.enqueue(StubResponse.toolCalls(new StubToolCall("call_1", "calculator", "{\"expression\":\"6*7\"}")));
    stub.enqueue(StubResponse.text("The answer is 42."));
    LlmCallResult first =
        activities.callLlm(request(null, List.of(ChatMessage.user("what is 6*7?")), List.of("calculator"), null));
    ToolCall toolCall = first.toolCalls().get(0);
    String resultRef = blobs.put("RESULT-FORTY-TWO".getBytes(StandardCharsets.UTF_8));

    LlmCallResult second =
        activities.callLlm(
            request(first.conversationRef(), List.of(ChatMessage.toolResult(toolCall, null, resultRef)), List.of("calculator"), null));

    assertThat(second.content()).isEqualTo("The answer is 42.");
    assertThat(second.finishReason()).isEqualTo("stop");
    assertThat(second.conversationRef()).isNotEqualTo(first.conversationRef());
    ConversationStore conversations = new ConversationStore(blobs);
    List<ChatMessage> stored = conversations.read(second.conversationRef());
    assertThat(stored).extracting(ChatMessage::role).containsExactly("user", "assistant", "tool", "assistant");
    assertThat(stored.get(2).contentRef()).isEqualTo(resultRef);
    assertThat(stored.get(2).content()).as("stored by reference, not inlined").isNull();
    JsonNode sentToolMessage = stub.requests().get(1).body().path("messages").get(2);
    assertThat(sentToolMessage.path("role").asText()).isEqualTo("tool");
    assertThat(sentToolMessage.path("content").asText()).isEqualTo("RESULT-FORTY-TWO");
    assertThat(sentToolMessage.path("tool_call_id").asText()).isEqualTo("call_1");
  }

  @Test
  void should_fail_retryably_with_output_schema_mismatch_naming_the_node() throws Exception {
    stub.enqueue(StubResponse.text("{\"verdict\":\"maybe\"}"));
    JsonNode schema =
        JSON.readTree("{\"type\":\"object\",\"required\":[\"verdict\"],\"properties\":{\"verdict\":{\"enum\":[\"approve\",\"revise\"]}}}");

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.callLlm(request(null, List.of(ChatMessage.user("judge")), List.of(), schema)));

    assertThat(failure.getType()).isEqualTo("OutputSchemaMismatch");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getOriginalMessage()).contains("node 'agent'", "verdict");
  }

  @Test
  void should_return_a_reply_that_misses_the_schema_with_its_errors_and_usage_when_asked_to() throws Exception {
    stub.enqueue(StubResponse.text("{\"verdict\":\"maybe\"}", 30, 4));
    JsonNode schema =
        JSON.readTree("{\"type\":\"object\",\"required\":[\"verdict\"],\"properties\":{\"verdict\":{\"enum\":[\"approve\",\"revise\"]}}}");

    LlmCallResult result = activities.callLlm(new LlmCallRequest("graph", "agent", 0, "smart", model, null,
        List.of(ChatMessage.user("judge")), List.of(), schema, null, null, Boolean.TRUE, null, null));

    assertThat(result.schemaErrors()).contains("does not match its outputSchema", "verdict");
    assertThat(result.usage()).isEqualTo(new TokenUsage(30, 4));
    assertThat(new ConversationStore(blobs).read(result.conversationRef()))
        .as("the rejected reply stays in the conversation, for the repair request to refer to")
        .extracting(ChatMessage::content).containsExactly("judge", "{\"verdict\":\"maybe\"}");
  }

  @Test
  void should_accept_a_reply_matching_the_output_schema() throws Exception {
    stub.enqueue(StubResponse.text("{\"verdict\":\"approve\"}"));
    JsonNode schema = JSON.readTree("{\"type\":\"object\",\"properties\":{\"verdict\":{\"enum\":[\"approve\",\"revise\"]}}}");

    LlmCallResult result = activities.callLlm(request(null, List.of(ChatMessage.user("judge")), List.of(), schema));

    assertThat(result.content()).isEqualTo("{\"verdict\":\"approve\"}");
  }

  @Test
  void should_fail_non_retryably_on_a_content_filter_finish_reason() {
    stub.enqueue(StubResponse.filteredCompletion());

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.callLlm(request(null, List.of(ChatMessage.user("x")), List.of(), null)));

    assertThat(failure.getType()).isEqualTo("ContentFilterError");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getDetails().get(0, BilledCall.class).usage())
        .as("the refused reply was billed: the failure says what it cost")
        .isEqualTo(new TokenUsage(10, 0));
  }

  @Test
  void should_carry_retry_after_as_the_next_retry_delay() {
    stub.enqueue(StubResponse.rateLimited("3"));

    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> activities.callLlm(request(null, List.of(ChatMessage.user("x")), List.of(), null)));

    assertThat(failure.getType()).isEqualTo("RateLimited");
    assertThat(failure.isNonRetryable()).isFalse();
    assertThat(failure.getNextRetryDelay()).isEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void should_fail_non_retryably_on_an_unknown_tool_without_calling_the_model() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class, () -> activities.callLlm(request(null, List.of(ChatMessage.user("x")), List.of("teleport"), null)));

    assertThat(failure.getType()).isEqualTo("UnknownTool");
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("teleport", "calculator");
    assertThat(stub.requestCount()).isZero();
  }

  @Test
  void should_fail_non_retryably_on_an_unknown_provider() {
    ModelSpec unknown = new ModelSpec("bedrock", "claude", null, null, null, null, null, null);

    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.callLlm(new LlmCallRequest("g", "agent", 0, "m", unknown, null, List.of(ChatMessage.user("x")), List.of(), null)));

    assertThat(failure.getType()).isEqualTo("UnknownProvider");
    assertThat(failure.isNonRetryable()).isTrue();
  }

  @Test
  void should_answer_every_model_offline_when_forced() {
    ScriptLibrary scripts =
        ScriptLibrary.of(
            List.of(new dev.agentflow.engine.llm.offline.OfflineScript(
                "graph", java.util.Map.of("agent", List.of(new dev.agentflow.engine.llm.offline.ScriptedReply("offline!", null, null, null))), "inline")));
    LlmActivitiesImpl offline =
        new LlmActivitiesImpl(blobs, ProviderRegistry.offlineOnly(scripts), ToolRegistry.of(List.of()));

    LlmCallResult result = offline.callLlm(request(null, List.of(ChatMessage.user("x")), List.of(), null));

    assertThat(result.content()).isEqualTo("offline!");
    assertThat(stub.requestCount()).isZero();
  }

  /** A tool the registry can describe to the model; it is never run here. */
  static final class Calculator implements Tool {
    @Override
    public String name() {
      return "calculator";
    }

    @Override
    public String description() {
      return "evaluates arithmetic";
    }

    @Override
    public JsonNode parametersSchema() {
      ObjectMapper json = new ObjectMapper();
      var schema = json.createObjectNode().put("type", "object");
      schema.putObject("properties").putObject("expression").put("type", "string");
      schema.putArray("required").add("expression");
      return schema;
    }

    @Override
    public JsonNode call(ToolContext context) {
      throw new UnsupportedOperationException("not run in these tests");
    }
  }
}
