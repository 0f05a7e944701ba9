package dev.agentflow.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.EgressConfig;
import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import dev.agentflow.tools.mcp.StdioMcpTransport;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The MCP activities against the real reference servers (no Temporal: the activity methods called directly). */
class McpToolCallsIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tempDir;

  private McpServers servers;
  private Process httpServer;

  @AfterEach
  void stop() {
    if (servers != null) {
      servers.close();
    }
    if (httpServer != null) {
      httpServer.destroyForcibly();
    }
  }

  private McpToolActivitiesImpl activities(Map<String, McpServerConfig> configs, Map<String, String> environment,
      AgentflowConfig settings) {
    WorkerPolicy policy = WorkerPolicy.from(settings, environment::get);
    servers = McpServers.start(configs, environment::get, policy.egress());
    return new McpToolActivitiesImpl(servers, new DirectoryBlobStore(tempDir.resolve("blobs")), policy, 2048);
  }

  private McpToolActivitiesImpl activities(Map<String, McpServerConfig> configs) {
    return activities(configs, Map.of("PATH", System.getenv("PATH"), "HOME", System.getenv("HOME")), AgentflowConfig.defaults());
  }

  private static ToolCallResult call(McpToolActivitiesImpl activities, McpToolSnapshot snapshot, String tool, String arguments,
      String origin) throws IOException {
    return activities.callTool(new McpCallRequest("node", snapshot.server(), tool, JSON.readTree(arguments), origin,
        snapshot.sha256(), snapshot.listRef(), null));
  }

  @Test
  void should_record_a_servers_tools_with_model_names_and_the_same_sha256_in_every_session() {
    McpToolActivitiesImpl first = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = first.snapshotTools(new McpSnapshotRequest("node", "everything"));
    servers.close();
    McpToolSnapshot again = activities(Map.of("everything", McpTestServers.everything()))
        .snapshotTools(new McpSnapshotRequest("node", "everything"));

    assertThat(snapshot.names()).contains("echo", "get-sum", "get-tiny-image", "trigger-long-running-operation");
    assertThat(snapshot.tool("get-sum").orElseThrow().modelName()).isEqualTo("everything__get-sum");
    assertThat(snapshot.sha256()).hasSize(64).isEqualTo(again.sha256());
    assertThat(snapshot.calls().timeoutMillis()).isEqualTo(McpServerConfig.DEFAULT_TIMEOUT.toMillis());
  }

  @Test
  void should_return_a_tools_text_and_its_structured_content() throws IOException {
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));

    ToolCallResult echo = call(activities, snapshot, "echo", "{\"message\": \"hello\"}", ToolCallRequest.FROM_MODEL);
    ToolCallResult weather = call(activities, snapshot, "get-structured-content", "{\"location\": \"New York\"}",
        ToolCallRequest.FROM_MODEL);

    assertThat(echo.value().asText()).isEqualTo("Echo: hello");
    assertThat(weather.value().has("temperature")).as(weather.value().toString()).isTrue();
  }

  @Test
  void should_put_an_image_in_the_blob_store_and_return_its_reference() throws IOException {
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));

    ToolCallResult result = call(activities, snapshot, "get-tiny-image", "{}", ToolCallRequest.FROM_MODEL);

    JsonNode value = result.value() != null ? result.value()
        : JSON.readTree(new DirectoryBlobStore(tempDir.resolve("blobs")).get(result.valueRef()));
    JsonNode image = null;
    for (JsonNode block : value.path("content")) {
      if (block.path("type").asText().equals("image")) {
        image = block;
      }
    }
    assertThat(image).as(value.toString()).isNotNull();
    assertThat(image.has("data")).isFalse();
    byte[] png = new DirectoryBlobStore(tempDir.resolve("blobs")).get(image.path("ref").asText());
    assertThat(png).hasSize(image.path("sizeBytes").asInt());
    assertThat(new String(png, 1, 3, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("PNG");
  }

  @Test
  void should_turn_an_is_error_result_into_a_non_retryable_tool_error_with_the_servers_message() throws IOException {
    Path root = Files.createDirectories(tempDir.resolve("root"));
    McpToolActivitiesImpl activities = activities(Map.of("files", McpTestServers.filesystem(root)));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "files"));

    assertThatThrownBy(() -> call(activities, snapshot, "read_text_file", "{\"path\": \"/etc/passwd\"}",
        ToolCallRequest.FROM_MODEL))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo(McpToolActivities.TOOL_ERROR);
          assertThat(failure.isNonRetryable()).isTrue();
          assertThat(failure.getOriginalMessage()).contains("mcp.files/read_text_file").contains("Access denied");
        });
  }

  @Test
  void should_refuse_model_arguments_outside_the_tools_input_schema_without_calling_it() throws IOException {
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));

    assertThatThrownBy(() -> call(activities, snapshot, "get-sum", "{\"a\": \"two\", \"b\": 3}", ToolCallRequest.FROM_MODEL))
        .isInstanceOfSatisfying(ApplicationFailure.class, failure -> {
          assertThat(failure.getType()).isEqualTo("InvalidToolArguments");
          assertThat(failure.getOriginalMessage()).contains("/a");
        });
  }

  @Test
  void should_refuse_a_secret_reference_in_mcp_arguments_even_from_the_definition() throws IOException {
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));

    assertThatThrownBy(() -> call(activities, snapshot, "echo", "{\"message\": {\"secret\": \"env:OPENAI_API_KEY\"}}",
        ToolCallRequest.FROM_DEFINITION))
        .isInstanceOfSatisfying(ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("SecretNotAllowed"));
  }

  @Test
  void should_give_the_server_the_secret_its_config_grants_and_no_other_worker_variable() throws IOException {
    McpServerConfig server = McpServerConfig.stdio(McpTestServers.executable(McpTestServers.EVERYTHING), List.of("stdio"),
        Map.of("GRANTED_TOKEN", "${env:WORKER_GRANTED}"));
    Map<String, String> worker = Map.of("PATH", System.getenv("PATH"), "WORKER_GRANTED", "canary-granted-51",
        "WORKER_NOT_GRANTED", "canary-hidden-52");
    McpToolActivitiesImpl activities = activities(Map.of("everything", server), worker, AgentflowConfig.defaults());
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));

    ToolCallResult env = call(activities, snapshot, "get-env", "{}", ToolCallRequest.FROM_DEFINITION);

    String text = env.value() != null ? env.value().toString()
        : new String(new DirectoryBlobStore(tempDir.resolve("blobs")).get(env.valueRef()), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(text).contains("GRANTED_TOKEN").doesNotContain("canary-hidden-52").doesNotContain("WORKER_NOT_GRANTED");
    assertThat(text).as("a granted value the server echoes is starred out of the result").doesNotContain("canary-granted-51");
  }

  @Test
  void should_fail_a_call_in_flight_at_once_when_the_server_dies_and_answer_the_next_on_a_new_session() throws Exception {
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));
    var connection = servers.find("everything").orElseThrow().connection();
    ProcessHandle process = ((StdioMcpTransport) connection.session().transport()).processHandle();

    CompletableFuture<ToolCallResult> slow = CompletableFuture.supplyAsync(() -> {
      try {
        return call(activities, snapshot, "trigger-long-running-operation", "{\"duration\": 30, \"steps\": 30}",
            ToolCallRequest.FROM_MODEL);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    });
    Thread.sleep(1500);
    long killedAt = System.nanoTime();
    process.destroyForcibly();

    assertThatThrownBy(() -> slow.get(10, TimeUnit.SECONDS))
        .hasCauseInstanceOf(ApplicationFailure.class)
        .cause()
        .satisfies(cause -> {
          ApplicationFailure failure = (ApplicationFailure) cause;
          assertThat(failure.getType()).isEqualTo("McpUnavailable");
          assertThat(failure.isNonRetryable()).isFalse();
        });
    assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - killedAt)).isLessThan(10);
    ToolCallResult next = call(activities, snapshot, "echo", "{\"message\": \"again\"}", ToolCallRequest.FROM_MODEL);
    assertThat(next.value().asText()).isEqualTo("Echo: again");
    assertThat(connection.sessionsStarted()).isEqualTo(2);
  }

  @Test
  void should_stop_a_stdio_server_with_its_whole_process_tree_when_the_worker_closes() throws Exception {
    String executable = McpTestServers.executable(McpTestServers.EVERYTHING);
    McpServerConfig launcher = McpServerConfig.stdio("sh", List.of("-c", "\"$0\" stdio; echo launcher-still-here >&2", executable), Map.of());
    activities(Map.of("everything", launcher));
    ProcessHandle shell = ((StdioMcpTransport) servers.find("everything").orElseThrow().connection().session().transport())
        .processHandle();
    List<ProcessHandle> tree = new java.util.ArrayList<>(shell.descendants().toList());
    tree.add(shell);
    assertThat(tree).hasSizeGreaterThan(1);

    servers.close();

    for (ProcessHandle process : tree) {
      process.onExit().get(10, TimeUnit.SECONDS);
      assertThat(process.isAlive()).as("process " + process.pid()).isFalse();
    }
  }

  @Test
  void should_call_a_tool_over_streamable_http_through_the_egress_policy() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    ProcessBuilder builder = new ProcessBuilder(McpTestServers.executable(McpTestServers.EVERYTHING), "streamableHttp");
    builder.environment().put("PORT", String.valueOf(port));
    builder.redirectErrorStream(true).redirectOutput(tempDir.resolve("http-server.log").toFile());
    httpServer = builder.start();
    awaitPort(port);
    AgentflowConfig settings = AgentflowConfig.defaults()
        .withEgress(new EgressConfig(List.of("127.0.0.1/32"), List.of(), true));
    McpServerConfig server = McpServerConfig.http("http://127.0.0.1:" + port + "/mcp", Map.of("X-Client", "agentflow-it"));
    McpToolActivitiesImpl activities = activities(Map.of("remote", server), Map.of(), settings);
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "remote"));

    ToolCallResult echo = call(activities, snapshot, "echo", "{\"message\": \"over http\"}", ToolCallRequest.FROM_MODEL);

    assertThat(snapshot.names()).contains("echo");
    assertThat(echo.value().asText()).isEqualTo("Echo: over http");
  }

  @Test
  void should_answer_every_call_of_concurrent_callers_on_one_session_and_print_calls_per_second() throws Exception {
    int threads = 4;
    int perThread = Integer.getInteger("agentflow.mcpCalls", 100) / threads;
    McpToolActivitiesImpl activities = activities(Map.of("everything", McpTestServers.everything()));
    McpToolSnapshot snapshot = activities.snapshotTools(new McpSnapshotRequest("node", "everything"));
    call(activities, snapshot, "echo", "{\"message\": \"warm-up\"}", ToolCallRequest.FROM_MODEL);
    var pool = java.util.concurrent.Executors.newFixedThreadPool(threads);
    long started = System.nanoTime();
    List<java.util.concurrent.Future<List<String>>> results = new java.util.ArrayList<>();
    for (int t = 0; t < threads; t++) {
      int thread = t;
      results.add(pool.submit(() -> {
        List<String> answers = new java.util.ArrayList<>();
        for (int i = 0; i < perThread; i++) {
          answers.add(call(activities, snapshot, "echo", "{\"message\": \"" + thread + "-" + i + "\"}",
              ToolCallRequest.FROM_MODEL).value().asText());
        }
        return answers;
      }));
    }
    List<String> answers = new java.util.ArrayList<>();
    for (var result : results) {
      answers.addAll(result.get(60, TimeUnit.SECONDS));
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    pool.shutdown();

    assertThat(answers).hasSize(threads * perThread).contains("Echo: 0-0", "Echo: 3-" + (perThread - 1));
    assertThat(servers.find("everything").orElseThrow().connection().sessionsStarted()).isEqualTo(1);
    System.out.printf("one stdio session, %d callers: %d calls in %.2f s = %.0f calls/s%n",
        threads, answers.size(), seconds, answers.size() / seconds);
  }

  private static void awaitPort(int port) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try (java.net.Socket socket = new java.net.Socket("127.0.0.1", port)) {
        return;
      } catch (IOException notYet) {
        Thread.sleep(100);
      }
    }
    throw new AssertionError("the HTTP MCP server did not listen on " + port);
  }
}
