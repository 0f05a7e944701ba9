package dev.agentflow.engine.tool;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentflow.engine.ActivityHeartbeat;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.ToolRegistry;
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
import java.util.Objects;

/**
 * Runs one tool call inside the generic tool activity and turns its outcome into something
 * workflow history can hold.
 *
 * <ul>
 *   <li>A result up to the inline limit comes back inline; a larger one goes to the blob store
 *       (claim check) and only its reference, size and a preview come back. The store is
 *       content-addressed, so a retried call with the same result returns the same reference.
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

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final ToolRegistry registry;
  private final BlobStore blobs;
  private final ToolContext.SecretResolver secrets;
  private final long inlineLimitBytes;

  public ToolActivitiesImpl(
      ToolRegistry registry, BlobStore blobs, ToolContext.SecretResolver secrets, long inlineLimitBytes) {
    this.registry = Objects.requireNonNull(registry, "registry");
    this.blobs = Objects.requireNonNull(blobs, "blobs");
    this.secrets = Objects.requireNonNull(secrets, "secrets");
    if (inlineLimitBytes < 0) {
      throw new IllegalArgumentException("inlineLimitBytes must not be negative: " + inlineLimitBytes);
    }
    this.inlineLimitBytes = inlineLimitBytes;
  }

  public ToolActivitiesImpl(ToolRegistry registry, BlobStore blobs, ToolContext.SecretResolver secrets) {
    this(registry, blobs, secrets, DEFAULT_INLINE_LIMIT_BYTES);
  }

  @Override
  public ToolCallResult callTool(ToolCallRequest request) {
    Tool tool = registry.find(request.toolName()).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node '" + request.nodeId() + "' calls tool '" + request.toolName()
            + "', which is not registered on this worker (known: " + String.join(", ", registry.names()) + ")",
        "UnknownTool"));
    JsonNode arguments = request.arguments() == null ? MAPPER.createObjectNode() : request.arguments();
    ToolContext context = new ToolContext(arguments, secrets, currentTimeout(), DEFAULT_MAX_RESULT_BYTES);

    JsonNode result;
    try (ActivityHeartbeat heartbeat = ActivityHeartbeat.start()) {
      try {
        result = heartbeat.interruptibly(() -> tool.call(context));
      } catch (ToolException e) {
        throw toFailure(tool, e);
      } catch (io.temporal.client.ActivityCompletionException e) {
        throw e;
      } catch (RuntimeException e) {
        throw ApplicationFailure.newFailureWithCause(
            "tool '" + tool.name() + "' failed unexpectedly: " + e, "ToolFailed", e);
      }
    }
    return store(result == null ? NullNode.getInstance() : result);
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

  private static ApplicationFailure toFailure(Tool tool, ToolException e) {
    String message = "tool '" + tool.name() + "': " + e.getMessage();
    return e.retryable()
        ? ApplicationFailure.newFailureWithCause(message, e.type(), e.getCause())
        : ApplicationFailure.newNonRetryableFailureWithCause(message, e.type(), e.getCause());
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
