package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.McpToolNames;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.LlmErrorTypes;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.mcp.McpCallRequest;
import dev.agentflow.engine.mcp.McpSnapshotRequest;
import dev.agentflow.engine.mcp.McpToolActivities;
import dev.agentflow.engine.mcp.McpToolOffer;
import dev.agentflow.engine.mcp.McpToolSnapshot;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * MCP tools inside a run. The first time a node needs a server, the run records its tool list (an
 * activity whose result, the list's sha256 and reference, stays in history and in every
 * continue-as-new checkpoint); every later use, a replay or a continuation reads that record, so the
 * tools a run offers never change under it. Each call is its own activity on the server's queue,
 * with the timeout and retries the record carries (a definition's {@code tools:} entry for the name,
 * or for {@code mcp.<server>/*}, wins; a tool the worker lists under {@code sideEffects} is called
 * at most once).
 *
 * <p>Guarded by {@value #CHANGE_ID}: a run whose history predates MCP tools treats the names as it
 * did then (plain tool names).
 */
final class McpRunTools {

  static final String CHANGE_ID = "mcp-tool-snapshot";

  private static final Duration HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);
  private static final RetryOptions SNAPSHOT_RETRY = RetryOptions.newBuilder()
      .setInitialInterval(Duration.ofSeconds(1))
      .setMaximumInterval(Duration.ofSeconds(30))
      .setMaximumAttempts(5)
      .setDoNotRetry(McpToolActivities.UNKNOWN_SERVER)
      .build();

  private McpRunTools() {}

  /** One MCP tool a node may call, and the record it comes from. */
  record Target(McpToolSnapshot snapshot, McpToolSnapshot.Tool tool) {
    String qualifiedName() {
      return McpToolNames.qualified(snapshot.server(), tool.name());
    }
  }

  /**
   * What an llm node offers: its built-in tools by name, its MCP tools for the LLM activity, and the
   * MCP tool behind each model-facing name.
   */
  record Offering(List<String> builtins, List<McpToolOffer> offers, Map<String, Target> byModelName) {

    /** The MCP tool a model asked for, by the name it saw (or the qualified name); null for others. */
    Target find(String name) {
      Target target = byModelName.get(name);
      if (target != null) {
        return target;
      }
      return byModelName.values().stream().filter(t -> t.qualifiedName().equals(name)).findFirst().orElse(null);
    }
  }

  /**
   * The offering of an llm node, recording each server's tools the first time; null when the node
   * names no MCP tool, or the run predates MCP tools.
   */
  static Offering offer(String nodeId, List<String> toolNames, RunContext context) {
    if (toolNames == null || toolNames.stream().noneMatch(McpToolNames::isMcp) || !enabled()) {
      return null;
    }
    List<String> builtins = new ArrayList<>();
    Map<String, Set<String>> byServer = new TreeMap<>();
    for (String name : toolNames) {
      if (!McpToolNames.isMcp(name)) {
        builtins.add(name);
        continue;
      }
      McpToolNames.Ref ref = parse(nodeId, name);
      McpToolSnapshot snapshot = snapshot(nodeId, ref.server(), context);
      Set<String> tools = byServer.computeIfAbsent(ref.server(), server -> new LinkedHashSet<>());
      if (ref.wholeServer()) {
        tools.addAll(snapshot.names());
      } else {
        tools.add(require(nodeId, snapshot, ref.tool()).name());
      }
    }
    List<McpToolOffer> offers = new ArrayList<>();
    Map<String, Target> byModelName = new TreeMap<>();
    byServer.forEach((server, tools) -> {
      McpToolSnapshot snapshot = context.state().mcpTools().get(server);
      offers.add(new McpToolOffer(server, snapshot.listRef(), List.copyOf(tools)));
      for (String tool : tools) {
        McpToolSnapshot.Tool entry = snapshot.tool(tool).orElseThrow();
        byModelName.put(entry.modelName(), new Target(snapshot, entry));
      }
    });
    return new Offering(List.copyOf(builtins), List.copyOf(offers), byModelName);
  }

  /** The tool a tool node names, recording its server's tools the first time; null when the run predates MCP tools. */
  static Target resolve(String nodeId, String toolName, RunContext context) {
    if (!enabled()) {
      return null;
    }
    McpToolNames.Ref ref = parse(nodeId, toolName);
    if (ref.wholeServer()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool node '" + nodeId + "' names '" + toolName + "': a tool node calls one tool, not a whole server",
          FailureTypes.INVALID_DEFINITION);
    }
    McpToolSnapshot snapshot = snapshot(nodeId, ref.server(), context);
    return new Target(snapshot, require(nodeId, snapshot, ref.tool()));
  }

  /**
   * Calls the tool as an activity.
   *
   * @throws ActivityFailure when the call failed for good (the caller routes or tells the model)
   */
  static ToolCallResult call(String nodeId, Target target, JsonNode arguments, String origin, RunContext context) {
    McpToolActivities activities = Workflow.newActivityStub(McpToolActivities.class, callOptions(nodeId, target, context));
    return activities.callTool(new McpCallRequest(nodeId, target.snapshot().server(), target.tool().name(), arguments,
        origin, target.snapshot().sha256(), target.snapshot().listRef(), context.graph().egressAllow()));
  }

  /** A model's call of an MCP tool, answered as a tool message (errors as {@code Error: …}). */
  static ToolLoopCalls.Reply runForModel(String nodeId, ToolCall call, Target target, RunContext context) {
    JsonNode arguments;
    try {
      arguments = RunContext.JSON.readTree(call.argumentsJson() == null ? "{}" : call.argumentsJson());
    } catch (JsonProcessingException e) {
      return ToolLoopCalls.text(call, "Error: the arguments are not valid JSON: " + e.getOriginalMessage());
    }
    try {
      ToolCallResult result = call(nodeId, target, arguments, ToolCallRequest.FROM_MODEL, context);
      if (result.valueRef() != null) {
        return new ToolLoopCalls.Reply(ChatMessage.toolResult(call, null, result.valueRef()), result.sizeBytes());
      }
      JsonNode value = result.value();
      return ToolLoopCalls.text(call, value == null ? "null" : value.isTextual() ? value.asText() : value.toString());
    } catch (ActivityFailure failure) {
      ActivityFailures.rethrowIfCancelled(failure, context.versions());
      return ToolLoopCalls.text(call, "Error: " + ActivityFailures.messageOf(failure));
    }
  }

  private static boolean enabled() {
    return Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) >= 1;
  }

  private static McpToolNames.Ref parse(String nodeId, String name) {
    return McpToolNames.parse(name).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "' names tool '" + name + "', which is not mcp.<server>/<tool> or mcp.<server>/*",
        FailureTypes.INVALID_DEFINITION));
  }

  private static McpToolSnapshot snapshot(String nodeId, String server, RunContext context) {
    McpToolSnapshot recorded = context.state().mcpTools().get(server);
    if (recorded != null) {
      return recorded;
    }
    ActivityOptions options = ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(2))
        .setRetryOptions(SNAPSHOT_RETRY)
        .setTaskQueue(TaskQueues.tools(TaskQueues.ofCurrentWorkflow()))
        .setSummary(nodeId + " → tools of MCP server " + server)
        .build();
    McpToolSnapshot snapshot;
    try {
      snapshot = Workflow.newActivityStub(McpToolActivities.class, options)
          .snapshotTools(new McpSnapshotRequest(nodeId, server));
    } catch (ActivityFailure failure) {
      throw ActivityFailures.asRunFailure(nodeId, "llm or tool", failure);
    }
    context.state().mcpTools().put(server, snapshot);
    return snapshot;
  }

  private static McpToolSnapshot.Tool require(String nodeId, McpToolSnapshot snapshot, String tool) {
    return snapshot.tool(tool).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "' names tool '" + McpToolNames.qualified(snapshot.server(), tool) + "', which MCP server '"
            + snapshot.server() + "' does not have (its tools: " + String.join(", ", snapshot.names()) + ")",
        LlmErrorTypes.UNKNOWN_TOOL));
  }

  private static ActivityOptions callOptions(String nodeId, Target target, RunContext context) {
    McpToolSnapshot.CallPolicy policy = target.snapshot().calls();
    Map<String, ToolSettings> settings = context.graph().tools();
    ToolSettings own = settings.get(target.qualifiedName());
    if (own == null) {
      own = settings.get(McpToolNames.qualified(target.snapshot().server(), McpToolNames.ALL));
    }
    Duration timeout = own != null ? own.timeout() : Duration.ofMillis(policy.timeoutMillis());
    RetrySpec retry = own != null ? own.retry() : new RetrySpec(Duration.ofMillis(policy.initialIntervalMillis()),
        policy.backoff(), Duration.ofMillis(policy.maxIntervalMillis()), policy.maxAttempts(), List.of());
    List<String> doNotRetry = new ArrayList<>(ActivityOptionsFactory.TOOL_NON_RETRYABLE);
    doNotRetry.addAll(List.of(McpToolActivities.TOOL_ERROR, McpToolActivities.TOOLS_CHANGED,
        McpToolActivities.REQUEST_REJECTED, McpToolActivities.UNKNOWN_SERVER));
    if (retry.nonRetryable() != null) {
      doNotRetry.addAll(retry.nonRetryable());
    }
    int attempts = target.tool().sideEffects() ? 1 : Math.max(1, retry.maxAttempts());
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.mcp(TaskQueues.ofCurrentWorkflow(), target.snapshot().server()))
        .setStartToCloseTimeout(timeout)
        .setHeartbeatTimeout(timeout.compareTo(HEARTBEAT_TIMEOUT) < 0 ? timeout : HEARTBEAT_TIMEOUT)
        .setRetryOptions(RetryOptions.newBuilder()
            .setInitialInterval(retry.initialInterval())
            .setBackoffCoefficient(Math.max(1.0, retry.backoff()))
            .setMaximumInterval(retry.maxInterval())
            .setMaximumAttempts(attempts)
            .setDoNotRetry(doNotRetry.toArray(String[]::new))
            .build())
        .setSummary(nodeId + " → tool " + target.qualifiedName() + (target.tool().sideEffects() ? " (once)" : ""))
        .build();
  }
}
