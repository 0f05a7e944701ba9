package dev.agentflow.engine.tool;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ToolActivitiesImplTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  @TempDir Path blobDir;

  private final AtomicReference<ToolContext> lastContext = new AtomicReference<>();
  private BlobStore blobs;
  private TestActivityEnvironment environment;
  private ToolActivities activities;

  @BeforeEach
  void setUp() {
    blobs = new DirectoryBlobStore(blobDir);
    ToolRegistry registry = ToolRegistry.of(List.of(
        new TestTool("repeat", context -> {
          lastContext.set(context);
          ObjectNode result = MAPPER.createObjectNode();
          result.put("text", "x".repeat(context.arguments().path("times").asInt()));
          return result;
        }),
        new TestTool("flaky", context -> {
          throw ToolException.retryable("Flaky", "try again", null);
        }),
        new TestTool("refuses", context -> {
          throw ToolException.nonRetryable("Refused", "never", null);
        }),
        new TestTool("buggy", context -> {
          throw new IllegalStateException("bug in the tool");
        })));
    environment = TestActivityEnvironment.newInstance();
    environment.registerActivitiesImplementations(
        new ToolActivitiesImpl(registry, blobs, new SecretResolver(Map.of()), WorkerPolicy.defaults()));
    activities = environment.newActivityStub(ToolActivities.class, ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(42))
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build());
  }

  @AfterEach
  void tearDown() {
    environment.close();
  }

  private ToolCallResult repeat(int times) {
    return activities.callTool(new ToolCallRequest("node1", "repeat", MAPPER.createObjectNode().put("times", times)));
  }

  private static ApplicationFailure applicationFailureOf(Throwable thrown) {
    assertThat(thrown).isInstanceOf(ActivityFailure.class);
    assertThat(thrown.getCause()).isInstanceOf(ApplicationFailure.class);
    return (ApplicationFailure) thrown.getCause();
  }

  @Test
  void a_small_result_comes_back_inline() {
    ToolCallResult result = repeat(5);

    assertThat(result.value()).isEqualTo(MAPPER.createObjectNode().put("text", "xxxxx"));
    assertThat(result.valueRef()).isNull();
    assertThat(result.sizeBytes()).isEqualTo("{\"text\":\"xxxxx\"}".length());
    assertThat(result.preview()).isEqualTo("{\"text\":\"xxxxx\"}");
  }

  @Test
  void a_20_kb_result_is_stored_by_reference_with_the_same_bytes() throws Exception {
    ToolCallResult result = repeat(20_000);

    // Through Temporal's Jackson converter a null JsonNode field arrives as NullNode: callers must
    // branch on valueRef, never on value == null.
    assertThat(result.value() == null || result.value().isNull()).as("no inline value").isTrue();
    assertThat(result.valueRef()).matches("sha256:[0-9a-f]{64}");
    byte[] stored = blobs.get(result.valueRef());
    assertThat(stored).isEqualTo(MAPPER.writeValueAsBytes(MAPPER.createObjectNode().put("text", "x".repeat(20_000))));
    assertThat(result.sizeBytes()).isEqualTo(stored.length);
    assertThat(result.preview()).startsWith("{\"text\":\"xxx").hasSizeLessThanOrEqualTo(ToolActivitiesImpl.PREVIEW_CHARS + 1);
  }

  @Test
  void a_result_just_over_the_inline_limit_is_stored_and_one_at_the_limit_is_not() throws Exception {
    int overhead = "{\"text\":\"\"}".length();
    int atLimit = (int) ToolActivitiesImpl.DEFAULT_INLINE_LIMIT_BYTES - overhead;

    assertThat(repeat(atLimit).valueRef()).isNull();
    assertThat(repeat(atLimit + 1).valueRef()).isNotNull();
  }

  @Test
  void a_stored_value_loads_back_equal() {
    JsonNode value = MAPPER.createObjectNode().set("results", MAPPER.createArrayNode().add("a").add(2).addNull());

    ToolCallResult stored = activities.storeValue(value);

    assertThat(activities.loadValue(stored.valueRef())).isEqualTo(value);
  }

  @Test
  void the_same_large_result_twice_gives_the_same_reference_so_retries_are_idempotent() {
    assertThat(repeat(20_000).valueRef()).isEqualTo(repeat(20_000).valueRef());
  }

  @Test
  void the_tool_gets_the_activity_start_to_close_timeout_and_a_result_limit() {
    repeat(1);

    assertThat(lastContext.get().timeout()).isEqualTo(Duration.ofSeconds(42));
    assertThat(lastContext.get().maxResultBytes()).isEqualTo(ToolActivitiesImpl.DEFAULT_MAX_RESULT_BYTES);
  }

  @Test
  void an_unknown_tool_is_a_non_retryable_unknown_tool_failure() {
    assertThatThrownBy(() -> activities.callTool(new ToolCallRequest("node1", "nope", MAPPER.createObjectNode())))
        .satisfies(thrown -> {
          ApplicationFailure failure = applicationFailureOf(thrown);
          assertThat(failure.getType()).isEqualTo("UnknownTool");
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("'nope'", "node1", "repeat");
        });
  }

  @Test
  void a_retryable_tool_exception_becomes_a_retryable_failure_of_its_type() {
    assertThatThrownBy(() -> activities.callTool(new ToolCallRequest("node1", "flaky", MAPPER.createObjectNode())))
        .satisfies(thrown -> {
          ApplicationFailure failure = applicationFailureOf(thrown);
          assertThat(failure.getType()).isEqualTo("Flaky");
          assertThat(failure.isNonRetryable()).isFalse();
          assertThat(failure.getOriginalMessage()).contains("flaky", "try again");
        });
  }

  @Test
  void a_non_retryable_tool_exception_becomes_a_non_retryable_failure_of_its_type() {
    assertThatThrownBy(() -> activities.callTool(new ToolCallRequest("node1", "refuses", MAPPER.createObjectNode())))
        .satisfies(thrown -> {
          ApplicationFailure failure = applicationFailureOf(thrown);
          assertThat(failure.getType()).isEqualTo("Refused");
          assertThat(failure.isNonRetryable()).isTrue();
        });
  }

  @Test
  void any_other_exception_from_a_tool_is_a_retryable_tool_failed_naming_the_tool() {
    assertThatThrownBy(() -> activities.callTool(new ToolCallRequest("node1", "buggy", MAPPER.createObjectNode())))
        .satisfies(thrown -> {
          ApplicationFailure failure = applicationFailureOf(thrown);
          assertThat(failure.getType()).isEqualTo("ToolFailed");
          assertThat(failure.isNonRetryable()).isFalse();
          assertThat(failure.getOriginalMessage()).contains("'buggy'", "bug in the tool");
        });
  }

  @Test
  void works_outside_an_activity_with_the_default_timeout() {
    ToolActivitiesImpl direct = new ToolActivitiesImpl(
        ToolRegistry.of(List.of(new TestTool("repeat", context -> {
          lastContext.set(context);
          return MAPPER.getNodeFactory().textNode("ok");
        }))),
        blobs, new SecretResolver(Map.of()), WorkerPolicy.defaults());

    ToolCallResult result = direct.callTool(new ToolCallRequest("node1", "repeat", null));

    assertThat(result.value().asText()).isEqualTo("ok");
    assertThat(lastContext.get().timeout()).isEqualTo(ToolActivitiesImpl.DEFAULT_TIMEOUT);
    assertThat(lastContext.get().arguments().isObject()).isTrue();
  }

  private static ApplicationFailure failureOf(Throwable thrown) {
    Throwable current = thrown;
    while (current != null && !(current instanceof ApplicationFailure)) {
      current = current.getCause();
    }
    return (ApplicationFailure) current;
  }

  private ToolActivitiesImpl strictActivities(java.util.concurrent.atomic.AtomicInteger calls, SecretResolver env,
      WorkerPolicy policy) {
    Tool strict = new TestTool("strict", context -> {
      calls.incrementAndGet();
      return context.secrets().resolveFor("env:TOKEN", "api.example.com")
          .map(value -> (JsonNode) MAPPER.getNodeFactory().textNode("echo " + value))
          .orElse(MAPPER.getNodeFactory().textNode("none"));
    }) {
      @Override
      public JsonNode parametersSchema() {
        return MAPPER.createObjectNode().put("type", "object").put("additionalProperties", false)
            .set("properties", MAPPER.createObjectNode().set("n", MAPPER.createObjectNode().put("type", "integer")));
      }
    };
    return new ToolActivitiesImpl(ToolRegistry.of(List.of(strict)), blobs, env, policy);
  }

  @Test
  void should_refuse_model_arguments_that_break_the_tool_schema_without_running_the_tool() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ToolActivitiesImpl direct = strictActivities(calls, new SecretResolver(Map.of()), WorkerPolicy.defaults());

    assertThatThrownBy(() -> direct.callTool(new ToolCallRequest("n1", "strict", MAPPER.createObjectNode().put("n", "five"),
        ToolCallRequest.FROM_MODEL, null)))
        .satisfies(e -> {
          ApplicationFailure failure = failureOf(e);
          assertThat(failure.getType()).isEqualTo("InvalidToolArguments");
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("/n", "expected integer");
        });
    assertThat(calls).hasValue(0);
  }

  @Test
  void should_treat_a_request_of_unknown_origin_as_written_by_the_model() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ToolActivitiesImpl direct = strictActivities(calls, new SecretResolver(Map.of()), WorkerPolicy.defaults());

    assertThatThrownBy(() -> direct.callTool(new ToolCallRequest("n1", "strict", MAPPER.createObjectNode().put("x", 1), null, null)))
        .satisfies(e -> assertThat(failureOf(e).getType()).isEqualTo("InvalidToolArguments"));
    assertThat(calls).hasValue(0);
  }

  @Test
  void should_refuse_a_secret_reference_in_model_arguments_before_the_tool_runs() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    ToolActivitiesImpl direct = strictActivities(calls, new SecretResolver(Map.of()), WorkerPolicy.defaults());
    ObjectNode arguments = MAPPER.createObjectNode();
    arguments.putObject("deep").putArray("list").addObject().put("secret", "env:OPENAI_API_KEY");

    assertThatThrownBy(() -> direct.callTool(new ToolCallRequest("n1", "strict", arguments, ToolCallRequest.FROM_MODEL, null)))
        .satisfies(e -> {
          assertThat(failureOf(e).getType()).isEqualTo("SecretNotAllowed");
          assertThat(failureOf(e).getOriginalMessage()).contains("/deep/list/0");
        });
    assertThat(calls).hasValue(0);
  }

  @Test
  void should_replace_a_granted_secret_in_the_tool_result_with_stars() {
    java.util.concurrent.atomic.AtomicInteger calls = new java.util.concurrent.atomic.AtomicInteger();
    String value = "tok-canary-41c9e2";
    WorkerPolicy policy = WorkerPolicy.from(dev.agentflow.engine.config.AgentflowConfig.defaults().withSecrets(
        Map.of("TOKEN", new dev.agentflow.engine.config.SecretGrant(List.of("strict"), List.of(), List.of()))), name -> null);
    ToolActivitiesImpl direct = strictActivities(calls, new SecretResolver(Map.of("TOKEN", value)), policy);

    ToolCallResult result = direct.callTool(new ToolCallRequest("n1", "strict", MAPPER.createObjectNode(),
        ToolCallRequest.FROM_DEFINITION, null));

    assertThat(calls).hasValue(1);
    assertThat(result.value().asText()).isEqualTo("echo ***");
  }

  /** A tool defined by a lambda, for tests. */
  private static class TestTool implements Tool {

    private final String name;
    private final Body body;

    TestTool(String name, Body body) {
      this.name = name;
      this.body = body;
    }

    @Override
    public String name() {
      return name;
    }

    interface Body {
      JsonNode call(ToolContext context) throws ToolException;
    }

    @Override
    public String description() {
      return "test tool " + name;
    }

    @Override
    public JsonNode parametersSchema() {
      return MAPPER.createObjectNode().put("type", "object").set("properties", MAPPER.createObjectNode());
    }

    @Override
    public JsonNode call(ToolContext context) throws ToolException {
      return body.call(context);
    }
  }
}
