package dev.agentflow.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.Warmup;
import dev.agentflow.tools.mcp.StdioMcpTransport;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphs using the tools of real MCP servers, end to end on the interpreter and Temporal's test server. */
class McpToolsIT {

  @TempDir Path tempDir;

  private static List<String> scheduled(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  /** The inputs of every scheduled activity of a type, as JSON text. */
  private static List<String> inputs(WorkflowExecutionHistory history, String activityType) {
    List<String> inputs = new ArrayList<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(activityType)) {
        StringBuilder text = new StringBuilder();
        event.getActivityTaskScheduledEventAttributes().getInput().getPayloadsList()
            .forEach(payload -> text.append(payload.getData().toString(StandardCharsets.UTF_8)));
        inputs.add(text.toString());
      }
    }
    return inputs;
  }

  private static void replay(WorkflowExecutionHistory history) throws Exception {
    Warmup.run();
    WorkflowReplayer.replayWorkflowExecution(history, AgentGraphWorkflowImpl.class);
  }

  @Test
  void should_call_an_mcp_tool_from_a_tool_node_and_record_the_servers_tool_list_once() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-echo
        version: 1
        start: first
        nodes:
          first: {kind: tool, tool: mcp.everything/echo, arguments: {message: "hi ${input.who}"}, next: second}
          second: {kind: tool, tool: mcp.everything/get-sum, arguments: {a: 2, b: 3}, next: done}
          done: {kind: end, output: "({echo: nodes.first.output, sum: nodes.second.output})"}
        """;
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", McpTestServers.everything()), Map.of())) {
      RunResult result = harness.start(graph, "{\"who\": \"there\"}", "mcp-echo").getResult(RunResult.class);

      assertThat(result.output().path("echo").asText()).isEqualTo("Echo: hi there");
      assertThat(result.output().path("sum").toString()).contains("5");
      WorkflowExecutionHistory history = harness.client().fetchHistory("mcp-echo");
      assertThat(scheduled(history)).containsExactly("SnapshotMcpTools", "CallMcpTool", "CallMcpTool");
      replay(history);
    }
  }

  @Test
  void should_offer_a_whole_servers_recorded_tools_to_the_model_and_send_results_and_errors_back_as_tool_messages()
      throws Exception {
    Path root = Files.createDirectories(tempDir.resolve("root"));
    Files.writeString(root.resolve("notes.txt"), "the launch is on Tuesday");
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-agent
        version: 1
        models: {m: {provider: offline, model: scripted}}
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "When is the launch?", tools: ["mcp.files/*"], next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """;
    String script = """
        graph: mcp-agent
        replies:
          agent:
            - toolCalls:
                - {name: files__read_text_file, arguments: {path: notes.txt}}
                - {name: files__read_text_file, arguments: {path: /etc/passwd}}
            - content: "On Tuesday."
        """;
    try (McpHarness harness = new McpHarness(tempDir, script, Map.of("files", McpTestServers.filesystem(root)), Map.of())) {
      RunResult result = harness.start(graph, "{}", "mcp-agent").getResult(RunResult.class);

      assertThat(result.output().asText()).isEqualTo("On Tuesday.");
      WorkflowExecutionHistory history = harness.client().fetchHistory("mcp-agent");
      List<String> llmCalls = inputs(history, "CallLlm");
      assertThat(llmCalls.get(0)).contains("\"mcpTools\"").contains("read_text_file").contains("list_directory");
      assertThat(llmCalls.get(1))
          .contains("the launch is on Tuesday")
          .contains("Error: tool 'mcp.files/read_text_file' returned an error: Access denied");
      assertThat(scheduled(history)).containsExactly("SnapshotMcpTools", "CallLlm", "CallMcpTool", "CallMcpTool", "CallLlm");
      replay(history);
    }
  }

  @Test
  void should_retry_a_call_on_a_new_session_when_the_server_is_killed_mid_call() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-killed
        version: 1
        start: slow
        nodes:
          slow: {kind: tool, tool: mcp.everything/trigger-long-running-operation, arguments: {duration: 4, steps: 4}, next: done}
          done: {kind: end, output: "nodes.slow.output"}
        """;
    McpServerConfig server = McpTestServers.everything().withCalls(new McpServerConfig.Retry("500ms", 1.0, "1s", 3), 2, List.of());
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", server), Map.of())) {
      var connection = harness.servers().find("everything").orElseThrow().connection();
      ProcessHandle first = ((StdioMcpTransport) connection.session().transport()).processHandle();
      WorkflowStub run = harness.start(graph, "{}", "mcp-killed");
      awaitActivityStarted(harness, "mcp-killed", "CallMcpTool");
      Thread.sleep(1000);
      first.destroyForcibly();

      RunResult result = run.getResult(RunResult.class);

      assertThat(result.output().toString()).contains("Long running operation completed");
      assertThat(connection.sessionsStarted()).isEqualTo(2);
      WorkflowExecutionHistory history = harness.client().fetchHistory("mcp-killed");
      HistoryEvent started = history.getEvents().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED)
          .reduce((a, b) -> b).orElseThrow();
      assertThat(started.getActivityTaskStartedEventAttributes().getAttempt()).isEqualTo(2);
    }
  }

  @Test
  void should_time_out_a_slow_call_retry_it_as_the_server_says_and_then_take_the_error_route() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-slow
        version: 1
        start: slow
        nodes:
          slow:
            kind: tool
            tool: mcp.everything/trigger-long-running-operation
            arguments: {duration: 30, steps: 30}
            onError: failed
            next: done
          done: {kind: end, output: "nodes.slow.output"}
          failed: {kind: end, output: "nodes.slow.output"}
        """;
    McpServerConfig server = McpTestServers.everything().withTimeouts("2s", null)
        .withCalls(new McpServerConfig.Retry("200ms", 1.0, "200ms", 2), 4, List.of());
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", server), Map.of())) {
      long started = System.nanoTime();
      RunResult result = harness.start(graph, "{}", "mcp-slow").getResult(RunResult.class);
      long seconds = (System.nanoTime() - started) / 1_000_000_000L;

      assertThat(result.output().path("error").path("type").asText()).as(result.output().toString()).isIn("McpTimeout", "Timeout");
      assertThat(seconds).isLessThan(25);
      HistoryEvent timedOut = harness.client().fetchHistory("mcp-slow").getEvents().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_TIMED_OUT)
          .findFirst().orElseThrow();
      assertThat(timedOut.getActivityTaskTimedOutEventAttributes().getRetryState())
          .as("retried up to the server's maxAttempts (2), then given up")
          .isEqualTo(io.temporal.api.enums.v1.RetryState.RETRY_STATE_MAXIMUM_ATTEMPTS_REACHED);
    }
  }

  @Test
  void should_call_a_side_effect_tool_once_even_when_its_server_dies() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-once
        version: 1
        start: slow
        nodes:
          slow: {kind: tool, tool: mcp.everything/trigger-long-running-operation, arguments: {duration: 4, steps: 4}, onError: failed, next: done}
          done: {kind: end, output: "nodes.slow.output"}
          failed: {kind: end, output: "nodes.slow.output"}
        """;
    McpServerConfig server = McpTestServers.everything()
        .withCalls(new McpServerConfig.Retry("200ms", 1.0, "200ms", 5), 2, List.of("trigger-long-running-operation"));
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", server), Map.of())) {
      var connection = harness.servers().find("everything").orElseThrow().connection();
      ProcessHandle first = ((StdioMcpTransport) connection.session().transport()).processHandle();
      WorkflowStub run = harness.start(graph, "{}", "mcp-once");
      awaitActivityStarted(harness, "mcp-once", "CallMcpTool");
      Thread.sleep(1000);
      first.destroyForcibly();

      RunResult result = run.getResult(RunResult.class);

      assertThat(result.output().path("error").path("type").asText()).isEqualTo("McpUnavailable");
      long calls = harness.client().fetchHistory("mcp-once").getEvents().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).count();
      assertThat(calls).as("snapshot + one call").isEqualTo(2);
    }
  }

  @Test
  void should_report_a_server_whose_tools_changed_under_a_running_graph_and_not_call_it() throws Exception {
    Path root = Files.createDirectories(tempDir.resolve("root"));
    Path upgraded = tempDir.resolve("upgraded");
    String everything = McpTestServers.executable(McpTestServers.EVERYTHING);
    String filesystem = McpTestServers.executable(McpTestServers.FILESYSTEM);
    // One server name whose program changes when the flag file exists: a server upgraded under a running graph.
    McpServerConfig server = McpServerConfig.stdio("sh", List.of("-c",
        "if [ -f \"$0\" ]; then exec \"$2\" \"$3\"; else exec \"$1\" stdio; fi",
        upgraded.toString(), everything, filesystem, root.toString()), Map.of());
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-changed
        version: 1
        start: before
        nodes:
          before: {kind: tool, tool: mcp.srv/echo, arguments: {message: one}, next: pause}
          pause: {kind: wait, event: go, next: after}
          after: {kind: tool, tool: mcp.srv/echo, arguments: {message: two}, onError: reported, next: done}
          done: {kind: end, output: "nodes.after.output"}
          reported: {kind: end, output: "nodes.after.output"}
        """;
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("srv", server), Map.of())) {
      WorkflowStub run = harness.start(graph, "{}", "mcp-changed");
      awaitWaitingFor(run, "go");
      Files.writeString(upgraded, "now the filesystem server");
      var connection = harness.servers().find("srv").orElseThrow().connection();
      ((StdioMcpTransport) connection.session().transport()).stop();
      run.signal("go", McpHarness.json("{}"));

      RunResult result = run.getResult(RunResult.class);

      assertThat(result.output().path("error").path("type").asText()).isEqualTo(McpToolActivities.TOOLS_CHANGED);
      assertThat(result.output().path("error").path("message").asText())
          .contains("MCP server 'srv' changed its tools")
          .contains("removed [")
          .contains("echo");
      long echoCalls = harness.client().fetchHistory("mcp-changed").getEvents().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED).count();
      assertThat(echoCalls).as("snapshot, first call, refused second call").isEqualTo(3);
    }
  }

  @Test
  void should_keep_the_recorded_tools_across_continue_as_new_inside_the_tool_loop() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-long
        version: 1
        models: {m: {provider: offline, model: scripted}}
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "Echo three times.", tools: [mcp.everything/echo], maxIterations: 6, next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """;
    String script = """
        graph: mcp-long
        replies:
          agent:
            - toolCalls: [{name: everything__echo, arguments: {message: a}}]
            - toolCalls: [{name: everything__echo, arguments: {message: b}}]
            - toolCalls: [{name: everything__echo, arguments: {message: c}}]
            - content: done
        """;
    try (McpHarness harness = new McpHarness(tempDir, script, Map.of("everything", McpTestServers.everything()), Map.of())) {
      WorkflowStub stub = harness.client().newUntypedWorkflowStub(dev.agentflow.engine.workflow.AgentGraphWorkflow.TYPE,
          io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId("mcp-long")
              .setTaskQueue(dev.agentflow.engine.workflow.AgentGraphWorkflow.TASK_QUEUE).build());
      stub.start(new RunRequest(com.fasterxml.jackson.databind.node.TextNode.valueOf(graph), McpHarness.json("{}"),
          new RunOptions("test.yaml", null, null, 10)));

      RunResult result = stub.getResult(RunResult.class);

      assertThat(result.output().asText()).isEqualTo("done");
      assertThat(result.trace()).anyMatch(entry -> entry.kind().equals("continue-as-new"));
      List<WorkflowExecutionHistory> runs = chain(harness, "mcp-long");
      assertThat(runs).hasSizeGreaterThan(1);
      assertThat(scheduled(runs.get(0))).containsOnlyOnce("SnapshotMcpTools");
      List<WorkflowExecutionHistory> continued = runs.subList(1, runs.size());
      assertThat(continued).allSatisfy(run -> assertThat(scheduled(run)).doesNotContain("SnapshotMcpTools"));
      assertThat(continued).anySatisfy(run -> assertThat(scheduled(run)).contains("CallMcpTool"));
      assertThat(continued).allSatisfy(run -> assertThat(inputs(run, "CallLlm")).allSatisfy(
          call -> assertThat(call).contains("\"mcpTools\"").contains("echo")));
      for (WorkflowExecutionHistory run : runs) {
        replay(run);
      }
    }
  }

  @Test
  void should_hold_calls_to_the_servers_concurrency_limit_and_print_calls_per_second() throws Exception {
    int items = Integer.getInteger("agentflow.mcpCalls", 60);
    int limit = 4;
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-many
        version: 1
        models: {m: {provider: offline, model: scripted}}
        start: fan
        nodes:
          fan:
            kind: map
            items: "input.items"
            maxConcurrency: 50
            graph:
              start: call
              nodes:
                call: {kind: tool, tool: mcp.everything/echo, arguments: {message: "item ${input.item}"}, next: end}
                end: {kind: end, output: "nodes.call.output"}
            next: done
          done: {kind: end, output: "nodes.fan.output.length"}
        """;
    StringBuilder input = new StringBuilder("{\"items\": [");
    for (int i = 0; i < items; i++) {
      input.append(i == 0 ? "" : ",").append(i);
    }
    input.append("]}");
    McpServerConfig server = McpTestServers.everything().withCalls(null, limit, List.of());
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", server), Map.of())) {
      long started = System.nanoTime();
      RunResult result = harness.start(graph, input.toString(), "mcp-many").getResult(RunResult.class);
      double seconds = (System.nanoTime() - started) / 1e9;

      assertThat(result.output().asInt()).isEqualTo(items);
      List<long[]> spans = new ArrayList<>();
      for (HistoryEvent event : harness.client().fetchHistory("mcp-many").getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED) {
          String child = event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId();
          spans.addAll(callSpans(harness.client().fetchHistory(child)));
        }
      }
      assertThat(spans).hasSize(items);
      assertThat(spans).isNotEmpty();
      System.out.printf("MCP calls through one stdio session: %d calls in %.2f s = %.1f calls/s (workflow runs included),"
          + " %.1f calls/s of activity time; peak %d in flight (limit %d)%n", items, seconds, items / seconds,
          items / activitySeconds(spans), peak(spans), limit);
      assertThat(peak(spans)).isLessThanOrEqualTo(limit);
    }
  }

  private static List<long[]> callSpans(WorkflowExecutionHistory history) {
    List<long[]> spans = new ArrayList<>();
    Map<Long, Long> startedAt = new java.util.HashMap<>();
    for (HistoryEvent event : history.getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_STARTED) {
        startedAt.put(event.getActivityTaskStartedEventAttributes().getScheduledEventId(), millis(event));
      } else if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED) {
        long scheduled = event.getActivityTaskCompletedEventAttributes().getScheduledEventId();
        String type = history.getEvents().stream().filter(e -> e.getEventId() == scheduled).findFirst().orElseThrow()
            .getActivityTaskScheduledEventAttributes().getActivityType().getName();
        if (type.equals("CallMcpTool")) {
          spans.add(new long[] {startedAt.get(scheduled), millis(event)});
        }
      }
    }
    return spans;
  }

  private static long millis(HistoryEvent event) {
    return event.getEventTime().getSeconds() * 1000 + event.getEventTime().getNanos() / 1_000_000;
  }

  private static int peak(List<long[]> spans) {
    List<long[]> edges = new ArrayList<>();
    spans.forEach(span -> {
      edges.add(new long[] {span[0], 1});
      edges.add(new long[] {span[1], -1});
    });
    edges.sort((a, b) -> a[0] != b[0] ? Long.compare(a[0], b[0]) : Long.compare(a[1], b[1]));
    int current = 0;
    int max = 0;
    for (long[] edge : edges) {
      current += (int) edge[1];
      max = Math.max(max, current);
    }
    return max;
  }

  private static double activitySeconds(List<long[]> spans) {
    long first = spans.stream().mapToLong(s -> s[0]).min().orElse(0);
    long last = spans.stream().mapToLong(s -> s[1]).max().orElse(1);
    return Math.max(1, last - first) / 1000.0;
  }

  private static List<WorkflowExecutionHistory> chain(McpHarness harness, String workflowId) {
    String runId = harness.client().fetchHistory(workflowId).getHistory().getEvents(0)
        .getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    while (runId != null) {
      WorkflowExecutionHistory run = harness.client().fetchHistory(workflowId, runId);
      runs.add(run);
      HistoryEvent last = run.getLastEvent();
      runId = last.hasWorkflowExecutionContinuedAsNewEventAttributes()
          ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId() : null;
    }
    return runs;
  }

  private static void awaitWaitingFor(WorkflowStub stub, String event) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (event.equals(stub.query("progress", dev.agentflow.engine.workflow.Progress.class).waitingFor())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the first workflow task may not have run yet
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run never waited for '" + event + "'");
  }

  private static void awaitActivityStarted(McpHarness harness, String workflowId, String type) throws InterruptedException {
    long deadline = System.nanoTime() + 20_000_000_000L;
    while (System.nanoTime() < deadline) {
      WorkflowExecutionHistory history = harness.client().fetchHistory(workflowId);
      for (HistoryEvent event : history.getEvents()) {
        if (event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
            && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals(type)) {
          return;
        }
      }
      Thread.sleep(50);
    }
    throw new AssertionError(type + " was never scheduled");
  }
}
