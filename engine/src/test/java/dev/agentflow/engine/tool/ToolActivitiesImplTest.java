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

  /** A tool defined by a lambda, for tests. */
  private record TestTool(String name, Body body) implements Tool {

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
