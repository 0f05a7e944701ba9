package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runs whose histories the recorded corpus keeps for what this interpreter does that older
 * histories do not show: a fan-out and a wait that continue as new (signals carried), an
 * expression whose time-out is decided, and outputs read by reference. Each test checks its run and
 * replays it; with {@code -Dagentflow.recordHistories=true} it also adds its histories to {@code
 * src/test/resources/histories} and their sha256 to the {@code SHA256SUMS} manifest there. The
 * corpus is append-only: recording never overwrites a file (it fails instead), and the replay test
 * fails when a recorded file changes or disappears.
 */
class CorpusScenariosTest {

  private static final Path CORPUS = Path.of("src/test/resources/histories");

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  /** Replays every run of {@code workflowId} and, when recording, adds them as {@code <name>.<n>.json}. */
  private void replayAndRecord(String workflowId, String name) throws Exception {
    List<WorkflowExecutionHistory> chain = harness.chain(workflowId);
    for (int i = 0; i < chain.size(); i++) {
      WorkflowReplayer.replayWorkflowExecution(chain.get(i), AgentGraphWorkflowImpl.class);
      if (Boolean.getBoolean("agentflow.recordHistories")) {
        record(chain.size() == 1 ? name + ".json" : name + "." + (i + 1) + ".json", chain.get(i));
      }
    }
  }

  private static void record(String file, WorkflowExecutionHistory history) throws IOException {
    Path target = CORPUS.resolve(file);
    if (Files.exists(target)) {
      throw new IllegalStateException(target + " is recorded already; recorded histories are never re-recorded");
    }
    byte[] json = history.toJson(true).getBytes(StandardCharsets.UTF_8);
    Files.write(target, json, StandardOpenOption.CREATE_NEW);
    String sha256;
    try {
      sha256 = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(json));
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
    Files.writeString(CORPUS.resolve("SHA256SUMS"), sha256 + "  " + file + "\n", StandardOpenOption.APPEND);
  }

  @Test
  void should_record_a_map_that_continues_as_new_in_the_middle_and_finishes_every_item_once() throws Exception {
    TestTools.Probe probe = TestTools.probe("probe");
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = """
        apiVersion: agentflow/v1
        name: fan-continue
        version: 1
        start: each
        nodes:
          each:
            kind: map
            items: "Array.from({length: 12}, (_, i) => i)"
            maxConcurrency: 3
            graph:
              start: work
              nodes:
                work: {kind: tool, tool: probe, arguments: {value: "${input.item}"}, next: done}
                done: {kind: end, output: "'r' + nodes.work.output.value"}
            next: finish
          finish: {kind: end, output: "({each: nodes.each.output, visits: visits.each})"}
        """;

    RunResult result = harness.start(graph, "{}", "corpus-fan", new RunOptions("fan.yaml", null, null, 40))
        .getResult(RunResult.class);

    assertThat(result.output().get("each")).hasSize(12);
    assertThat(result.output().get("each").get(11).asText()).isEqualTo("r11");
    assertThat(result.output().get("visits").asInt()).isEqualTo(1);
    assertThat(probe.calls()).isEqualTo(12);
    assertThat(result.trace()).anySatisfy(e -> assertThat(e.outcome()).contains("inside the fan-out"));
    replayAndRecord("corpus-fan", "fan-out-continue-as-new");
  }

  @Test
  void should_record_a_wait_that_continues_as_new_with_its_signals_carried() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of());
    String graph = """
        apiVersion: agentflow/v1
        name: wait-continue
        version: 1
        start: first
        nodes:
          first:
            kind: wait
            event: approve
            payload: {type: object, required: [approved], properties: {approved: {type: boolean}}}
            timeout: 48h
            onTimeout: expired
            next: second
          second: {kind: wait, event: note, next: done}
          done: {kind: end, output: "({approved: nodes.first.output.payload.approved, note: nodes.second.output.payload.n})"}
          expired: {kind: end, output: "'expired'"}
        """;
    WorkflowStub stub = harness.start(graph, "{}", "corpus-wait", new RunOptions("wait.yaml", null, null, 60));
    GraphHarness.awaitWaitingFor(stub, "approve");
    stub.signal("note", GraphHarness.json("{\"n\": 1}"));
    stub.signal("note", GraphHarness.json("{\"n\": 2}"));
    for (int i = 0; i < 40; i++) {
      stub.signal(i % 2 == 0 ? "approve" : "spam", GraphHarness.json("{\"approved\": \"not a boolean\"}"));
    }
    awaitContinued("corpus-wait");
    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"approved\": true, \"note\": 1}"));
    assertThat(result.rejectedSignals()).isEqualTo(40);
    assertThat(result.trace()).anySatisfy(e -> assertThat(e.outcome()).contains("while waiting"));
    replayAndRecord("corpus-wait", "wait-signals-continue-as-new");
  }

  /** Waits until {@code workflowId} has continued as new at least once. */
  private void awaitContinued(String workflowId) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      if (harness.chain(workflowId).size() > 1) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError(workflowId + " did not continue as new within 30 s");
  }

  @Test
  void should_record_an_expression_time_out_decided_in_the_history() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of());
    String graph = """
        apiVersion: agentflow/v1
        name: slow-expression
        version: 1
        start: done
        nodes:
          done:
            kind: end
            output: "(() => { const s = 'x'.repeat(1000000); let n = 0; for (let i = 0; i < 100000; i++) n += s.indexOf('y'); return n; })()"
        """;

    WorkflowStub stub = harness.start(graph, "{}", "corpus-slow");
    WorkflowFailedException failure = catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));

    assertThat(AgentGraphWorkflowTest.failureType(failure)).isEqualTo(FailureTypes.EXPRESSION_ERROR);
    assertThat(harness.history("corpus-slow")).anyMatch(HistoryEvent::hasMarkerRecordedEventAttributes);
    replayAndRecord("corpus-slow", "expression-time-limit-decided");
  }

  @Test
  void should_record_outputs_stored_by_reference_read_by_expressions() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(TestTools.large("page", 20_000)));
    String graph = """
        apiVersion: agentflow/v1
        name: stored-read
        version: 1
        start: fetch
        nodes:
          fetch: {kind: tool, tool: page, set: {head: "output.slice(0, 8)"}, next: done}
          done: {kind: end, output: "({head: vars.head, length: nodes.fetch.output.length})"}
        """;

    RunResult result = harness.start(graph, "{}", "corpus-stored").getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"head\": \"result 1\", \"length\": 20000}"));
    replayAndRecord("corpus-stored", "stored-output-read");
  }

  private static dev.agentflow.engine.registry.GraphRegistry registryWithGreeter(Path dir) {
    dev.agentflow.engine.registry.GraphRegistry registry = new dev.agentflow.engine.registry.GraphRegistry(
        new dev.agentflow.engine.blob.DirectoryBlobStore(dir.resolve("registry-blobs")),
        new dev.agentflow.engine.registry.DirectoryRegistryIndex(dir.resolve("registry")));
    registry.deploy(dev.agentflow.dsl.DefinitionLoader.withoutToolCheck().load("""
        apiVersion: agentflow/v1
        name: greeter
        version: 3
        input: {type: object, properties: {who: {type: string}}}
        start: done
        nodes:
          done: {kind: end, output: "({greeting: 'hello ' + input.who})"}
        """, "greeter.yaml"));
    registry.alias("greeter", "prod", dev.agentflow.engine.registry.AliasRoute.single(3));
    return registry;
  }

  @Test
  void should_record_a_run_started_by_registry_reference() throws Exception {
    harness = new GraphHarness(tempDir, null, registryWithGreeter(tempDir));
    WorkflowStub stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId("corpus-by-reference")
            .setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(RunRequest.byReference("greeter@prod", GraphHarness.json("{\"who\": \"ada\"}"), null));

    assertThat(stub.getResult(RunResult.class).output()).isEqualTo(GraphHarness.json("{\"greeting\": \"hello ada\"}"));
    replayAndRecord("corpus-by-reference", "started-by-reference");
  }

  @Test
  void should_record_a_registered_subgraph_pinned_when_its_parent_starts() throws Exception {
    harness = new GraphHarness(tempDir, null, registryWithGreeter(tempDir));
    String graph = """
        apiVersion: agentflow/v1
        name: registered-child
        version: 1
        start: call
        nodes:
          call: {kind: subgraph, graph: {ref: "greeter@prod"}, input: "({who: 'grace'})", next: done}
          done: {kind: end, output: "nodes.call.output"}
        """;

    RunResult result = harness.start(graph, "{}", "corpus-registered-child").getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"greeting\": \"hello grace\"}"));
    replayAndRecord("corpus-registered-child", "registered-subgraph-pinned");
  }
}
