package dev.agentflow.engine.mcp;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretReferences;
import dev.agentflow.engine.secret.SecretPolicy;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressRefusedException;
import dev.agentflow.tools.mcp.McpConnection;
import dev.agentflow.tools.mcp.McpResults;
import dev.agentflow.tools.mcp.McpToolList;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.temporal.activity.Activity;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs MCP tool calls on the worker's {@link McpServers}. Before a call it checks, in order: the
 * server is configured here; the arguments carry no {@code {"secret": …}} (MCP servers get secrets
 * from the worker config only); an HTTP server's URL is inside the definition's {@code egress.allow};
 * the server's tool list is still the one the run recorded ({@value McpToolActivities#TOOLS_CHANGED}
 * otherwise, saying what changed); arguments a model wrote match the tool's input schema. Then it
 * waits for the answer, heartbeating each second, up to the activity's StartToClose timeout.
 *
 * <p>Failures: a result with {@code isError: true} is {@value McpToolActivities#TOOL_ERROR} and a
 * JSON-RPC error is {@value McpToolActivities#REQUEST_REJECTED}, both non-retryable (the model reads
 * them); a broken session ({@value McpConnection#UNAVAILABLE}) is dropped and the call retried on a
 * new one; a call past its timeout is a retryable {@value McpToolActivities#TIMEOUT}.
 */
public final class McpToolActivitiesImpl implements McpToolActivities {

  private static final Logger LOG = LoggerFactory.getLogger(McpToolActivitiesImpl.class);
  private static final ObjectMapper JSON = JsonMappers.json();
  private static final Duration HEARTBEAT_EVERY = Duration.ofSeconds(1);

  private final McpServers servers;
  private final BlobStore blobs;
  private final WorkerPolicy policy;
  private final long inlineLimitBytes;
  private final Map<String, InputValidator> validators = new ConcurrentHashMap<>();

  public McpToolActivitiesImpl(McpServers servers, BlobStore blobs, WorkerPolicy policy, long inlineLimitBytes) {
    this.servers = servers;
    this.blobs = blobs;
    this.policy = policy;
    this.inlineLimitBytes = inlineLimitBytes;
  }

  @Override
  public McpToolSnapshot snapshotTools(McpSnapshotRequest request) {
    McpServers.Server server = server(request.server(), request.nodeId());
    McpToolList list = liveTools(server);
    String ref = blobs.put(list.canonicalJson());
    List<McpToolSnapshot.Tool> tools = new ArrayList<>();
    for (String name : list.names()) {
      JsonNode entry = list.tool(name).orElseThrow();
      tools.add(new McpToolSnapshot.Tool(
          name, entry.path("modelName").asText(), server.config().sideEffects().contains(name)));
    }
    return new McpToolSnapshot(server.name(), list.sha256(), ref, tools, policyOf(server.config()));
  }

  private static McpToolSnapshot.CallPolicy policyOf(McpServerConfig config) {
    RetrySpec retry = config.retrySpec();
    return new McpToolSnapshot.CallPolicy(config.callTimeout().toMillis(), retry.initialInterval().toMillis(),
        retry.backoff(), retry.maxInterval().toMillis(), retry.maxAttempts());
  }

  @Override
  public ToolCallResult callTool(McpCallRequest request) {
    McpServers.Server server = server(request.server(), request.nodeId());
    String name = request.qualifiedName();
    JsonNode arguments = request.arguments() == null || request.arguments().isNull()
        ? JSON.createObjectNode() : request.arguments();
    if (!arguments.isObject()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + name + "': the arguments must be a JSON object", ToolException.invalidArguments("").type());
    }
    refuseSecrets(name, arguments);
    checkEgress(server, request);
    McpToolList live = liveTools(server);
    if (!live.sha256().equals(request.snapshotSha256())) {
      throw toolsChanged(server, request, live);
    }
    if (!ToolCallRequest.FROM_DEFINITION.equals(request.origin())) {
      checkSchema(name, live, request.tool(), arguments);
    }
    McpSchema.CallToolResult result = await(server, name, arguments, request.tool());
    McpConnection connection = server.connection();
    if (Boolean.TRUE.equals(result.isError())) {
      throw ApplicationFailure.newNonRetryableFailure(
          connection.redact("tool '" + name + "' returned an error: " + McpResults.errorText(result)), TOOL_ERROR);
    }
    JsonNode value = McpResults.toJson(result, blobs::put);
    return store(redact(value, connection));
  }

  private McpServers.Server server(String name, String nodeId) {
    return servers.find(name).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "' uses MCP server '" + name + "', which this worker's config does not have (configured: "
            + (servers.names().isEmpty() ? "none" : String.join(", ", servers.names())) + ")",
        UNKNOWN_SERVER));
  }

  private static McpToolList liveTools(McpServers.Server server) {
    try {
      return server.connection().tools();
    } catch (ToolException e) {
      throw toFailure(e);
    }
  }

  private static void refuseSecrets(String name, JsonNode arguments) {
    java.util.Optional<String> at = SecretReferences.find(arguments, "");
    if (at.isPresent()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + name + "': MCP tool arguments may not reference secrets (a {\"secret\": …} object at " + at.get()
              + "); an MCP server gets secrets from the worker config (mcp.<server>.env or headers)",
          SecretPolicy.NOT_ALLOWED);
    }
  }

  /** An HTTP server must be inside the definition's narrowing (the worker's policy was checked at connect). */
  private void checkEgress(McpServers.Server server, McpCallRequest request) {
    if (server.config().isStdio() || request.egressAllow() == null) {
      return;
    }
    try {
      policy.egress().session(EgressNarrowing.of(request.egressAllow())).checkUrl(server.config().url());
    } catch (EgressRefusedException | IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + request.qualifiedName() + "': MCP server '" + server.name() + "' is outside the definition's "
              + "egress: " + e.getMessage(), EgressRefusedException.TYPE);
    }
  }

  private ApplicationFailure toolsChanged(McpServers.Server server, McpCallRequest request, McpToolList live) {
    String difference;
    try {
      difference = live.differenceFrom(McpToolList.fromJson(blobs.get(request.snapshotRef())));
    } catch (RuntimeException e) {
      difference = "the recorded list cannot be read: " + e.getMessage();
    }
    String message = "MCP server '" + server.name() + "' changed its tools since this run recorded them (recorded sha256 "
        + abbreviate(request.snapshotSha256()) + ", now " + abbreviate(live.sha256()) + ": " + difference
        + "); the run keeps the recorded list and does not call the changed server";
    LOG.warn("{} (node '{}', tool '{}')", message, request.nodeId(), request.tool());
    return ApplicationFailure.newNonRetryableFailure(message, TOOLS_CHANGED);
  }

  private void checkSchema(String name, McpToolList live, String tool, JsonNode arguments) {
    JsonNode entry = live.tool(tool).orElseThrow(() -> ApplicationFailure.newNonRetryableFailure(
        "tool '" + name + "' is not one of MCP server '" + live.server() + "''s tools " + live.names(),
        "UnknownTool"));
    InputValidator validator;
    try {
      validator = validators.computeIfAbsent(live.sha256() + "/" + tool,
          key -> InputValidator.forSchema(entry.path("inputSchema")));
    } catch (RuntimeException unusableSchema) {
      return; // the server checks its own arguments
    }
    List<String> problems = validator.validate(arguments).stream()
        .map(problem -> (problem.pointer().isEmpty() ? "/" : problem.pointer()) + ": " + problem.message())
        .toList();
    if (!problems.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "tool '" + name + "': the arguments do not match its input schema: " + String.join("; ", problems),
          ToolException.invalidArguments("").type());
    }
  }

  private McpSchema.CallToolResult await(McpServers.Server server, String name, JsonNode arguments, String tool) {
    McpConnection connection = server.connection();
    Duration timeout = callTimeout(server.config());
    McpConnection.Call call;
    try {
      call = connection.call(tool, JSON.convertValue(arguments, new TypeReference<Map<String, Object>>() {}));
    } catch (ToolException e) {
      throw toFailure(e);
    }
    long deadline = System.nanoTime() + timeout.toNanos();
    while (true) {
      try {
        return call.result().get(HEARTBEAT_EVERY.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException e) {
        if (System.nanoTime() >= deadline) {
          call.result().cancel(true);
          throw ApplicationFailure.newFailure(
              "tool '" + name + "' did not answer within " + timeout.toMillis() + " ms", TIMEOUT);
        }
        heartbeat(call);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        call.result().cancel(true);
        throw ApplicationFailure.newFailure("tool '" + name + "' was interrupted", McpConnection.UNAVAILABLE);
      } catch (CancellationException e) {
        throw ApplicationFailure.newFailure("tool '" + name + "' was cancelled", McpConnection.UNAVAILABLE);
      } catch (ExecutionException e) {
        throw callFailure(connection, call, name, e.getCause());
      }
    }
  }

  private static ApplicationFailure callFailure(McpConnection connection, McpConnection.Call call, String name, Throwable cause) {
    McpError error = find(cause, McpError.class);
    if (error != null) {
      return ApplicationFailure.newNonRetryableFailure(connection.redact(
          "tool '" + name + "': the server rejected the request: " + McpConnection.rootMessage(error)), REQUEST_REJECTED);
    }
    if (find(cause, TimeoutException.class) != null) {
      return ApplicationFailure.newFailure("tool '" + name + "' did not answer in time (the session's request timeout)", TIMEOUT);
    }
    connection.discard(call.session());
    String diagnostics = call.session().transport().diagnostics();
    return ApplicationFailure.newFailure(connection.redact("tool '" + name + "': the session with MCP server '"
        + connection.server() + "' broke: " + McpConnection.rootMessage(cause)
        + (diagnostics.isEmpty() ? "" : "; " + diagnostics) + "; the call is retried on a new session"),
        McpConnection.UNAVAILABLE);
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable cause = failure; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
      if (type.isInstance(cause)) {
        return type.cast(cause);
      }
    }
    return null;
  }

  /** Tells Temporal the call is alive; a cancelled or timed-out activity stops waiting. */
  private static void heartbeat(McpConnection.Call call) {
    try {
      Activity.getExecutionContext().heartbeat(null);
    } catch (ActivityCompletionException e) {
      call.result().cancel(true);
      throw e;
    } catch (IllegalStateException notInAnActivity) {
      // called directly (tests): nothing to tell
    }
  }

  /** The activity's StartToClose timeout (the snapshot's), else the server's. */
  private static Duration callTimeout(McpServerConfig config) {
    try {
      Duration timeout = Activity.getExecutionContext().getInfo().getStartToCloseTimeout();
      return timeout == null || timeout.isZero() || timeout.isNegative() ? config.callTimeout() : timeout;
    } catch (IllegalStateException notInAnActivity) {
      return config.callTimeout();
    }
  }

  private static ApplicationFailure toFailure(ToolException e) {
    return e.retryable()
        ? ApplicationFailure.newFailure(e.getMessage(), e.type())
        : ApplicationFailure.newNonRetryableFailure(e.getMessage(), e.type());
  }

  private static JsonNode redact(JsonNode value, McpConnection connection) {
    String json = value.toString();
    String redacted = connection.redact(json);
    if (redacted.equals(json)) {
      return value;
    }
    try {
      return JSON.readTree(redacted);
    } catch (JsonProcessingException e) {
      return com.fasterxml.jackson.databind.node.TextNode.valueOf("(a result that contained a secret was withheld)");
    }
  }

  private ToolCallResult store(JsonNode result) {
    byte[] json = result.toString().getBytes(StandardCharsets.UTF_8);
    String preview = preview(json);
    if (json.length > inlineLimitBytes) {
      return new ToolCallResult(null, blobs.put(json), json.length, preview);
    }
    return new ToolCallResult(result, null, json.length, preview);
  }

  private static String preview(byte[] json) {
    String text = new String(json, 0, Math.min(json.length, 800), StandardCharsets.UTF_8);
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }

  private static String abbreviate(String sha) {
    return sha == null ? "none" : sha.substring(0, Math.min(12, sha.length()));
  }
}
