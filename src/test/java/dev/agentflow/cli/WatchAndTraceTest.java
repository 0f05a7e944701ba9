package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentflow watch} and {@code agentflow trace} against runs started the way the stock
 * {@code temporal workflow start} starts them (the YAML text as the definition, no memo), on a
 * server with an {@code agentflow worker}.
 */
class WatchAndTraceTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir static Path tempDir;

  private static TestServicesStarter services;
  private static Server server;
  private static String address;
  private static WorkerCommand.Running worker;
  private static WorkflowServiceStubs stubs;
  private static WorkflowClient client;

  @BeforeAll
  static void start() throws Exception {
    services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    server = builder.build().start();
    address = "127.0.0.1:" + server.getPort();
    CommandLine command = new CommandLine(new WorkerCommand());
    command.parseArgs("--address", address, "--offline", "--offline-script", DEFINITIONS.toString(),
        "--blob-dir", tempDir.resolve("blobs").toString());
    worker = ((WorkerCommand) command.getCommand()).start(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()));
    stubs = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    client = WorkflowClient.newInstance(stubs, WorkflowClientOptions.newBuilder().setNamespace("default").build());
  }

  @AfterAll
  static void stop() {
    worker.close();
    stubs.shutdownNow();
    server.shutdownNow();
    services.close();
  }

  /** Starts an example as {@code temporal workflow start --type AgentGraph --input '{definition: <yaml>, input}'} would. */
  private static WorkflowStub startLikeTheTemporalCli(String example, String workflowId) throws Exception {
    return startLikeTheTemporalCli(example, workflowId, null);
  }

  private static WorkflowStub startLikeTheTemporalCli(String example, String workflowId, RunOptions options)
      throws Exception {
    WorkflowStub stub = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    JsonNode input = JSON.readTree(Files.readString(DEFINITIONS.resolve(example + ".input.json")));
    stub.start(new RunRequest(TextNode.valueOf(Files.readString(DEFINITIONS.resolve(example + ".yaml"))), input,
        options));
    return stub;
  }

  private static int agentflow(StringWriter out, StringWriter err, String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void watch_follows_a_run_from_its_start_printing_each_model_and_tool_call_until_it_completes() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(() -> {
      try {
        Thread.sleep(200); // the run starts after the watcher asked for it... or before: both must work
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return agentflow(out, err, "watch", "watched-agent", "--address", address, "--interval", "20");
    });
    startLikeTheTemporalCli("tool-agent", "watched-agent").getResult(RunResult.class);

    assertThat(watch.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    assertThat(out.toString())
        .contains("↳ model call 1")
        .contains("↳ tool calculator")
        .containsPattern(" 1\\. agent +llm")
        .contains("✓ watched-agent completed");
  }

  @Test
  void watch_from_an_offset_prints_exactly_the_events_after_it_as_json_lines() throws Exception {
    startLikeTheTemporalCli("tool-agent", "offset-agent").getResult(RunResult.class);
    StringWriter all = new StringWriter();
    StringWriter fromThree = new StringWriter();

    assertThat(agentflow(all, new StringWriter(), "watch", "offset-agent", "--address", address, "--json")).isZero();
    assertThat(agentflow(fromThree, new StringWriter(), "watch", "offset-agent", "--address", address, "--json",
        "--from", "3")).isZero();

    List<String> allLines = all.toString().lines().filter(line -> line.startsWith("{")).toList();
    List<String> lines = fromThree.toString().lines().filter(line -> line.startsWith("{")).toList();
    assertThat(allLines).hasSizeGreaterThan(5);
    assertThat(lines).isEqualTo(allLines.subList(3, allLines.size()));
    assertThat(JSON.readTree(lines.get(0)).get("offset").asLong()).isEqualTo(3);
  }

  private static List<JsonNode> jsonLines(StringWriter out) throws Exception {
    List<JsonNode> events = new java.util.ArrayList<>();
    for (String line : out.toString().lines().filter(line -> line.startsWith("{")).toList()) {
      events.add(JSON.readTree(line));
    }
    return events;
  }

  @Test
  void watch_follows_a_run_that_continues_as_new_from_the_start_and_from_an_offset_without_losing_or_repeating_an_event()
      throws Exception {
    StringWriter live = new StringWriter();
    StringWriter liveErr = new StringWriter();
    // a history bound this low makes the tool-agent continue as new between its model and tool calls
    WorkflowStub stub = startLikeTheTemporalCli("tool-agent", "continued-agent", new RunOptions(null, null, null, 12));
    CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(
        () -> agentflow(live, liveErr, "watch", "continued-agent", "--address", address, "--json", "--interval", "10"));
    // watch ends when the chain's last run closes; the result is read after it, from a closed chain
    // (the in-memory server can miss waking a result long poll that spans a continue-as-new)
    assertThat(watch.get(60, TimeUnit.SECONDS)).as(liveErr.toString()).isZero();
    RunResult result = stub.getResult(RunResult.class);
    StringWriter fromFour = new StringWriter();
    assertThat(agentflow(fromFour, new StringWriter(), "watch", "continued-agent", "--address", address, "--json",
        "--from", "4")).isZero();

    long continuations = result.trace().stream().filter(entry -> entry.kind().equals("continue-as-new")).count();
    assertThat(continuations).as("continue-as-new entries in the trace").isGreaterThanOrEqualTo(1);
    List<JsonNode> events = jsonLines(live);
    assertThat(events).extracting(event -> event.get("offset").asLong())
        .containsExactlyElementsOf(java.util.stream.LongStream.range(0, events.size()).boxed().toList());
    assertThat(events).filteredOn(event -> event.get("type").asText().equals("run.continued")).hasSize((int) continuations);
    assertThat(events).filteredOn(event -> event.get("type").asText().equals("model.call")).hasSize(2);
    assertThat(events).filteredOn(event -> event.get("type").asText().equals("tool.call")).hasSize(1);
    assertThat(jsonLines(fromFour)).isEqualTo(events.subList(4, events.size()));
    assertThat(liveErr.toString()).doesNotContain("no longer held");
  }

  @Test
  void runs_started_by_agentflow_and_their_children_carry_a_static_summary_and_details() throws Exception {
    dev.agentflow.dsl.LoadedDefinition loaded = dev.agentflow.dsl.DefinitionLoader.withoutToolCheck()
        .load(DEFINITIONS.resolve("map-reduce-summarizer.yaml"));
    WorkflowStub stub = dev.agentflow.engine.Runs.newStub(client, loaded, "described-map", AgentGraphWorkflow.TASK_QUEUE);
    stub.start(new RunRequest(JSON.readTree(loaded.canonicalJson()),
        JSON.readTree(Files.readString(DEFINITIONS.resolve("map-reduce-summarizer.input.json"))), (RunOptions) null));
    stub.getResult(RunResult.class);

    io.temporal.client.WorkflowExecutionDescription run = client.newUntypedWorkflowStub("described-map").describe();
    assertThat(run.getStaticSummary()).isEqualTo("map-reduce-summarizer v1 · starts at summarize_each");
    assertThat(run.getStaticDetails()).contains("**graph** map-reduce-summarizer v1").contains(loaded.sha256());
    String child = new dev.agentflow.engine.RunEventsFollower(client, "described-map").poll(0).events().stream()
        .filter(event -> event.type().equals("child.started") && event.detail().equals("0"))
        .findFirst().orElseThrow().name();
    io.temporal.client.WorkflowExecutionDescription first = client.newUntypedWorkflowStub(child).describe();
    assertThat(child).startsWith("described-map.summarize_each-1-0-");
    assertThat(first.getStaticSummary()).endsWith(" · map-reduce-summarizer/summarize_each · item 0");
    assertThat(first.getStaticDetails()).contains("**parent** described-map (map-reduce-summarizer v1)");
  }

  @Test
  void watch_waits_for_a_run_that_no_worker_has_started_yet_and_follows_it_once_one_does() throws Exception {
    String queue = "later-queue";
    WorkflowStub stub = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId("unserved-agent").setTaskQueue(queue).build());
    stub.start(new RunRequest(TextNode.valueOf(Files.readString(DEFINITIONS.resolve("tool-agent.yaml"))),
        JSON.readTree(Files.readString(DEFINITIONS.resolve("tool-agent.input.json"))), (RunOptions) null));
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> watch = CompletableFuture.supplyAsync(
        () -> agentflow(out, err, "watch", "unserved-agent", "--address", address, "--interval", "50"));
    Thread.sleep(1_500);
    assertThat(watch).as("watch is still waiting for the run's first workflow task").isNotDone();

    CommandLine command = new CommandLine(new WorkerCommand());
    command.parseArgs("--address", address, "--task-queue", queue, "--offline", "--offline-script", DEFINITIONS.toString(),
        "--blob-dir", tempDir.resolve("later-blobs").toString());
    try (WorkerCommand.Running later = ((WorkerCommand) command.getCommand())
        .start(new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()))) {
      assertThat(watch.get(60, TimeUnit.SECONDS)).as(err.toString()).isZero();
    }
    assertThat(out.toString()).contains("↳ tool calculator").contains("✓ unserved-agent completed");
  }

  @Test
  void trace_shows_the_tool_calls_and_tokens_of_an_agent_loop() throws Exception {
    startLikeTheTemporalCli("tool-agent", "traced-agent").getResult(RunResult.class);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(agentflow(out, err, "trace", "traced-agent", "--address", address)).as(err.toString()).isZero();

    assertThat(out.toString()).contains("tool-agent v1 · traced-agent · completed")
        .contains("path: agent → done")
        .containsPattern("agent +×1 · 227\\+32 tokens")
        .contains("🔧 calculator {\"expression\":\"(17 + 25) * 3\"}");
  }

  @Test
  void trace_as_json_holds_every_live_event_of_the_run() throws Exception {
    startLikeTheTemporalCli("tool-agent", "traced-json").getResult(RunResult.class);
    StringWriter out = new StringWriter();
    StringWriter events = new StringWriter();

    assertThat(agentflow(out, new StringWriter(), "trace", "traced-json", "--address", address, "--format", "json")).isZero();
    assertThat(agentflow(events, new StringWriter(), "watch", "traced-json", "--address", address, "--json")).isZero();

    JsonNode trace = JSON.readTree(out.toString());
    assertThat(trace.get("status").asText()).isEqualTo("completed");
    assertThat(trace.get("events")).hasSize(jsonLines(events).size());
    assertThat(trace.get("events").findValuesAsText("type")).containsSubsequence("model.call", "tool.call", "model.call");
  }

  @Test
  void trace_of_a_finished_fan_out_shows_the_path_and_each_child() throws Exception {
    startLikeTheTemporalCli("map-reduce-summarizer", "traced-map").getResult(RunResult.class);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(agentflow(out, err, "trace", "traced-map", "--address", address)).as(err.toString()).isZero();

    String text = out.toString();
    assertThat(text).contains("map-reduce-summarizer v1 · traced-map · completed")
        .contains("path: summarize_each → reduce → done")
        .contains("↳ summarize_each [0]").contains("↳ summarize_each [1]").contains("↳ summarize_each [2]")
        .containsPattern("traced-map\\.summarize_each-1-0-[0-9a-f]{8} · completed")
        .contains("3 done, 0 failed of 3 children");
  }

  @Test
  void trace_as_svg_highlights_the_path_through_the_children() throws Exception {
    startLikeTheTemporalCli("map-reduce-summarizer", "traced-svg").getResult(RunResult.class);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    assertThat(agentflow(out, err, "trace", "traced-svg", "--address", address, "--format", "svg")).as(err.toString()).isZero();

    assertThat(out.toString())
        .contains("class=\"edge always taken\" data-from=\"(start)\" data-to=\"summarize_each\"")
        .contains("class=\"edge always taken\" data-from=\"summarize_each/summarize\" data-to=\"summarize_each/done\"")
        .contains("×3 · ")
        .contains("<text x=");
  }
}
