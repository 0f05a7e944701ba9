package dev.agentflow.engine;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.llm.LlmErrorTypes;
import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Activity options from a definition's model and tool settings: StartToClose from the timeout, a
 * retry policy from the {@link RetrySpec} (the seed's policy where a field is unset), error types
 * that must never be retried, a summary naming node and model/tool for the Temporal UI, and the task
 * queue: a model's pool queue or the tool queue ({@link TaskQueues}), named after the workflow's own
 * task queue.
 *
 * <p>Model and tool calls heartbeat ({@link ActivityHeartbeat}) and have a {@link
 * #HEARTBEAT_TIMEOUT}: a call lost with its worker is retried once its heartbeats stop, seconds
 * later, rather than when its StartToClose timeout expires; and a cancelled run waits for its
 * calls in flight to confirm their cancellation ({@link
 * ActivityCancellationType#WAIT_CANCELLATION_COMPLETED}). Runs recorded before calls heartbeated
 * ask for options {@code heartbeating = false}, the options they were recorded with.
 *
 * <p>Deterministic, so the interpreter workflow may call them freely: the overloads without a
 * workflow queue read it from the calling workflow's start event ({@code agentflow} outside one).
 */
public final class ActivityOptionsFactory {

  /** Tool failure types retrying cannot fix (see {@code ToolException.invalidArguments}). */
  public static final List<String> TOOL_NON_RETRYABLE = List.of(LlmErrorTypes.UNKNOWN_TOOL, "InvalidToolArguments");

  /** Heartbeat timeout of model and tool calls: how long a call lost with its worker goes unnoticed. */
  public static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * How long a model call may wait for its pool's per-minute capacity (tokens or requests per
   * minute, see {@code PoolAdmission}) before it is sent: added to its StartToClose timeout, while
   * the model timeout still bounds the HTTP call. A call that waits longer times out and is retried.
   */
  public static final Duration ADMISSION_ALLOWANCE = Duration.ofMinutes(10);

  private static final Duration DEFAULT_TOOL_TIMEOUT = ToolSettings.DEFAULT.timeout();

  private ActivityOptionsFactory() {}

  /** Options of one LLM call by {@code nodeId} to the definition's model {@code modelName}. */
  public static ActivityOptions forModel(String nodeId, String modelName, ModelSpec model) {
    return forModel(nodeId, modelName, model, TaskQueues.ofCurrentWorkflow());
  }

  /** As {@link #forModel(String, String, ModelSpec)}, for a workflow on {@code workflowQueue}. */
  public static ActivityOptions forModel(String nodeId, String modelName, ModelSpec model, String workflowQueue) {
    return forModel(nodeId, modelName, model, workflowQueue, true, true);
  }

  /**
   * As {@link #forModel(String, String, ModelSpec)}, with or without heartbeats, and without the
   * {@link #ADMISSION_ALLOWANCE} (the options of runs recorded before it).
   */
  public static ActivityOptions forModel(String nodeId, String modelName, ModelSpec model, boolean heartbeating) {
    return forModel(nodeId, modelName, model, TaskQueues.ofCurrentWorkflow(), heartbeating, false);
  }

  /**
   * As {@link #forModel(String, String, ModelSpec)}, with or without heartbeats, and with or without
   * the {@link #ADMISSION_ALLOWANCE} (runs recorded before it ask without).
   */
  public static ActivityOptions forModel(
      String nodeId, String modelName, ModelSpec model, boolean heartbeating, boolean admissionWait) {
    return forModel(nodeId, modelName, model, TaskQueues.ofCurrentWorkflow(), heartbeating, admissionWait);
  }

  private static ActivityOptions forModel(
      String nodeId, String modelName, ModelSpec model, String workflowQueue, boolean heartbeating,
      boolean admissionWait) {
    Duration timeout = model.timeout() == null ? ModelSpec.DEFAULT_TIMEOUT : model.timeout();
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.llm(workflowQueue, TaskQueues.poolOf(model)))
        .setStartToCloseTimeout(admissionWait ? timeout.plus(ADMISSION_ALLOWANCE) : timeout)
        .setRetryOptions(retryOptions(model.retry(), LlmErrorTypes.NON_RETRYABLE))
        .setSummary(nodeId + " → model " + modelName + " (" + model.model() + ")");
    return heartbeating(options, heartbeating).build();
  }

  /** Options of one call by {@code nodeId} to the tool {@code toolName}. */
  public static ActivityOptions forTool(String nodeId, String toolName, ToolSettings settings) {
    return forTool(nodeId, toolName, settings, TaskQueues.ofCurrentWorkflow());
  }

  /** As {@link #forTool(String, String, ToolSettings)}, for a workflow on {@code workflowQueue}. */
  public static ActivityOptions forTool(String nodeId, String toolName, ToolSettings settings, String workflowQueue) {
    return forTool(nodeId, toolName, settings, workflowQueue, true);
  }

  /** As {@link #forTool(String, String, ToolSettings)}, with or without heartbeats. */
  public static ActivityOptions forTool(String nodeId, String toolName, ToolSettings settings, boolean heartbeating) {
    return forTool(nodeId, toolName, settings, TaskQueues.ofCurrentWorkflow(), heartbeating);
  }

  private static ActivityOptions forTool(
      String nodeId, String toolName, ToolSettings settings, String workflowQueue, boolean heartbeating) {
    ToolSettings effective = settings == null ? ToolSettings.DEFAULT : settings;
    Duration timeout = effective.timeout() == null ? DEFAULT_TOOL_TIMEOUT : effective.timeout();
    ActivityOptions.Builder options = ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.tools(workflowQueue))
        .setStartToCloseTimeout(timeout)
        .setRetryOptions(retryOptions(effective.retry(), TOOL_NON_RETRYABLE))
        .setSummary(nodeId + " → tool " + toolName);
    return heartbeating(options, heartbeating).build();
  }

  private static ActivityOptions.Builder heartbeating(ActivityOptions.Builder options, boolean heartbeating) {
    if (!heartbeating) {
      return options;
    }
    return options
        .setHeartbeatTimeout(HEARTBEAT_TIMEOUT)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
  }

  /**
   * Temporal retry options. Unset fields (null durations, a backoff below 1, attempts of 0 or less)
   * take the seed's defaults: a definition cannot ask for unlimited attempts by leaving the field
   * out.
   */
  static RetryOptions retryOptions(RetrySpec spec, List<String> alwaysNonRetryable) {
    RetrySpec defaults = RetrySpec.DEFAULT;
    RetrySpec given = spec == null ? defaults : spec;
    Set<String> doNotRetry = new LinkedHashSet<>(alwaysNonRetryable);
    if (given.nonRetryable() != null) {
      doNotRetry.addAll(given.nonRetryable());
    }
    return RetryOptions.newBuilder()
        .setInitialInterval(given.initialInterval() != null ? given.initialInterval() : defaults.initialInterval())
        .setBackoffCoefficient(given.backoff() >= 1.0 ? given.backoff() : defaults.backoff())
        .setMaximumInterval(given.maxInterval() != null ? given.maxInterval() : defaults.maxInterval())
        .setMaximumAttempts(given.maxAttempts() > 0 ? given.maxAttempts() : defaults.maxAttempts())
        .setDoNotRetry(doNotRetry.toArray(String[]::new))
        .build();
  }
}
