package dev.agentflow.engine.tool;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentflow.engine.ActivityHeartbeat;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretPolicy;
import dev.agentflow.engine.secret.SecretReferences;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.secret.ToolSecrets;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.ToolRegistry;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressRefusedException;
import io.temporal.activity.Activity;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Runs one tool call inside the generic tool activity and turns its outcome into something
 * workflow history can hold.
 *
 * <ul>
 *   <li>A result up to the inline limit comes back inline; a larger one goes to the blob store
 *       (claim check) and only its reference, size and a preview come back. The store is
 *       content-addressed, so a retried call with the same result returns the same reference.
 *   <li>Arguments a model wrote (anything but a definition's {@code tool} node) must match the
 *       tool's JSON schema and may not reference a secret; otherwise the tool never runs and the
 *       call fails with a non-retryable {@code InvalidToolArguments} or {@code SecretNotAllowed},
 *       which the tool loop hands back to the model as the tool's error message.
 *   <li>The tool reads secrets through a {@link ToolSecrets} (only what the worker grants this tool,
 *       nothing for model-written arguments) and reaches the network through an egress session with
 *       the definition's narrowing; any secret value it was given is replaced by {@code ***} in its
 *       result and error messages.
 *   <li>A {@link ToolException} becomes an {@link ApplicationFailure} of the same type, retryable
 *       or not as the tool said; any other exception from a tool is a retryable {@code ToolFailed};
 *       a name the registry does not know is a non-retryable {@code UnknownTool}.
 *   <li>The tool heartbeats while it runs and is interrupted when the activity is cancelled
 *       ({@link ActivityHeartbeat}); the activity then ends cancelled, not failed.
 * </ul>
 */
public final class ToolActivitiesImpl implements ToolActivities {

  /** Results whose JSON is larger than this many bytes are stored by reference. */
  public static final long DEFAULT_INLINE_LIMIT_BYTES = 2048;
  /** The largest result a tool is asked to produce. */
  public static final long DEFAULT_MAX_RESULT_BYTES = 1024 * 1024;
  /** The tool's time limit when it is not running in an activity with a start-to-close timeout. */
  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  /** Characters of the result's JSON kept as its preview. */
  public static final int PREVIEW_CHARS = 200;

  private static final ObjectMapper MAPPER = JsonMappers.json();

  private final ToolRegistry registry;
  private final BlobStore blobs;
  private final SecretResolver environment;
  private final WorkerPolicy policy;
  private final ToolArguments argumentChecks = new ToolArguments();
  private final long inlineLimitBytes;

  /**
   * @param environment reads secret values (the worker's environment)
   * @param policy which secrets each tool may read, and the egress policy and HTTP client
   */
  public ToolActivitiesImpl(
      ToolRegistry registry, BlobStore blobs, SecretResolver environment, WorkerPolicy policy, long inlineLimitBytes) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.environment = Objects.requireNonNull(environment, "environment");
    this.policy = Objects.requireNonNull(policy, "policy");
    if (inlineLimitBytes < 0) {
      throw new IllegalArgumentException("inlineLimitBytes must not be negative: " + inlineLimitBytes);
    }
    this.inlineLimitBytes = inlineLimitBytes;
  }

  public ToolActivitiesImpl(ToolRegistry registry, BlobStore blobs, SecretResolver environment, WorkerPolicy policy) {
    this(registry, blobs, environment, policy, DEFAULT_INLINE_LIMIT_BYTES);
  }

  @Override
  public ToolCallResult callTool(ToolCallRequest request) {
    Tool tool = registry.find(request.toolName()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node '" + request.nodeId() + "' calls tool '" + request.toolName()
            + "', which is not registered on this worker (known: " + String.join(", ", registry.names()) + ")",
        "UnknownTool"));
    JsonNode arguments = request.arguments() == null ? MAPPER.createObjectNode() : request.arguments();
    boolean fromModel = !request.fromDefinition();
    if (fromModel) {
      checkModelArguments(tool, arguments);
    }
    ToolSecrets secrets = new ToolSecrets(environment, policy.secrets(), tool.name(), fromModel);
    ToolContext context = new ToolContext(arguments, secrets, currentTimeout(), DEFAULT_MAX_RESULT_BYTES,
        policy.egress().session(narrowing(request)));

    JsonNode result;
    try (ActivityHeartbeat heartbeat = ActivityHeartbeat.start()) {
      try {
        result = heartbeat.interruptibly(() -> tool.call(context));
      } catch (ToolException e) {
        throw toFailure(tool, e, secrets.handedOut());
      } catch (io.temporal.client.ActivityCompletionException e) {
        throw e;
      } catch (RuntimeException e) {
        throw ApplicationFailure.newFailure(
            "tool '" + tool.name() + "' failed unexpectedly: " + redact(String.valueOf(e), secrets.handedOut()), "ToolFailed");
      }
    }
    return store(redact(result == null ? NullNode.getInstance() : result, secrets.handedOut()));
  }

  /** Model-written arguments: no secret reference, and the tool's schema; the tool never sees a bad call. */
  private void checkModelArguments(Tool tool, JsonNode arguments) {
    Optional<String> secretAt = SecretReferences.find(arguments, "");
    if (secretAt.isPresent()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + tool.name() + "': arguments written by a model may not reference secrets (a {\"secret\": …}"
              + " object at " + secretAt.get() + "); only a tool node of the definition may",
          SecretPolicy.NOT_ALLOWED);
    }
    List<String> problems = argumentChecks.schemaProblems(tool, arguments);
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + tool.name() + "': the arguments do not match its parameters schema: " + String.join("; ", problems),
          ToolException.invalidArguments("").type());
    }
  }

  private static EgressNarrowing narrowing(ToolCallRequest request) {
    try {
      return EgressNarrowing.of(request.egressAllow());
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the definition's " + e.getMessage(), EgressRefusedException.TYPE);
    }
  }

  /** The result with every secret value the tool was handed replaced by {@code ***}. */
  private static JsonNode redact(JsonNode result, List<String> secrets) {
    if (secrets.isEmpty()) {
      return result;
    }
    String json = new String(toJson(result), StandardCharsets.UTF_8);
    String redacted = redact(json, secrets);
    if (redacted.equals(json)) {
      return result;
    }
    try {
      return MAPPER.readTree(redacted);
    } catch (IOException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf("(a result that contained a secret was withheld)");
    }
  }

  private static String redact(String text, List<String> secrets) {
    String result = text;
    for (String secret : secrets) {
      if (secret.length() >= 4) {
        result = result.replace(secret, "***");
      }
    }
    return result;
  }

  @Override
  public ToolCallResult storeValue(JsonNode value) {
    byte[] json = toJson(value == null ? NullNode.getInstance() : value);
    return new ToolCallResult(null, blobs.put(json), json.length, preview(json));
  }

  @Override
  public JsonNode loadValue(String valueRef) {
    byte[] json = blobs.get(valueRef);
    try {
      return MAPPER.readTree(json);
    } catch (IOException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "stored value " + valueRef + " is not valid JSON: " + e.getMessage(), "ValueUnreadable", e);
    }
  }

  @Override
  public String readTermination(String workflowId, String runId) {
    WorkflowClient client = Activity.getExecutionContext().getWorkflowClient();
    GetWorkflowExecutionHistoryRequest request =
        GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(client.getOptions().getNamespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(runId == null ? "" : runId))
            .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT)
            .build();
    for (HistoryEvent event :
        client.getWorkflowServiceStubs().blockingStub().getWorkflowExecutionHistory(request).getHistory().getEventsList()) {
      if (event.hasWorkflowExecutionTerminatedEventAttributes()) {
        var terminated = event.getWorkflowExecutionTerminatedEventAttributes();
        String by = terminated.getIdentity().isEmpty() ? "" : " by " + terminated.getIdentity();
        String reason = terminated.getReason().isEmpty() ? "no reason given" : terminated.getReason();
        return "terminated" + by + ": " + reason;
      }
    }
    return "terminated (its history has no termination event)";
  }

  private ToolCallResult store(JsonNode result) {
    byte[] json = toJson(result);
    String preview = preview(json);
    if (json.length > inlineLimitBytes) {
      return new ToolCallResult(null, blobs.put(json), json.length, preview);
    }
    return new ToolCallResult(result, null, json.length, preview);
  }

  /** No cause is attached: a library's exception text could carry what the tool sent. */
  private static ApplicationFailure toFailure(Tool tool, ToolException e, List<String> secrets) {
    String message = redact("tool '" + tool.name() + "': " + e.getMessage(), secrets);
    return e.retryable()
        ? ApplicationFailure.newFailure(message, e.type())
        : ApplicationFailure.newNonRetryableFailure(message, e.type());
  }

  private static byte[] toJson(JsonNode result) {
    try {
      return MAPPER.writeValueAsBytes(result);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "tool result cannot be written as JSON: " + e.getOriginalMessage(), "ToolFailed", e);
    }
  }

  private static String preview(byte[] json) {
    String text = new String(json, 0, Math.min(json.length, PREVIEW_CHARS * 4), StandardCharsets.UTF_8);
    if (text.length() <= PREVIEW_CHARS) {
      return text;
    }
    int end = Character.isHighSurrogate(text.charAt(PREVIEW_CHARS - 1)) ? PREVIEW_CHARS - 1 : PREVIEW_CHARS;
    return text.substring(0, end) + "…";
  }

  /** The activity's start-to-close timeout: the tool's time limit is the one Temporal enforces. */
  private static Duration currentTimeout() {
    try {
      Duration timeout = Activity.getExecutionContext().getInfo().getStartToCloseTimeout();
      return timeout == null || timeout.isZero() || timeout.isNegative() ? DEFAULT_TIMEOUT : timeout;
    } catch (IllegalStateException notInAnActivity) {
      return DEFAULT_TIMEOUT;
    }
  }
}
