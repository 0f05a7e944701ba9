package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.PoolConfig;
import dev.agentflow.engine.llm.admission.CapacityWait;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A model call that waits for its pool's per-minute capacity shows in the run's {@code progress}
 * query and live events while it waits, and no longer once it is admitted. The wait is real: the
 * pool has a tokens-per-minute limit, and the stub's rate-limit headers on the first reply say no
 * tokens are left for the next 4 seconds, which holds the second call back that long (over real
 * HTTP, on Temporal's in-memory server in real time).
 */
class CapacityWaitProgressTest {

  @TempDir Path tempDir;

  private StubOpenAiServer stub;
  private TestWorkflowEnvironment environment;

  @BeforeEach
  void start() {
    stub = StubOpenAiServer.start();
    environment =
        TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    AgentflowConfig stubSettings = TestModels.stubSettings();
    AgentflowConfig limited = new AgentflowConfig(stubSettings.taskQueue(), stubSettings.blobStore(),
        Map.of("openai", new PoolConfig(10, 0, List.of(), 100_000, 0)), stubSettings.tools(), stubSettings.workflows(),
        stubSettings.pricing(), stubSettings.egress(), stubSettings.secrets(), stubSettings.providers(),
        stubSettings.searchAttributes(), stubSettings.mcp());
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(),
        new DirectoryBlobStore(tempDir.resolve("blobs")), TestModels.secrets(), ScriptLibrary.empty(), false, limited);
    AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config);
    environment.start();
  }

  @AfterEach
  void stop() {
    environment.close();
    stub.close();
  }

  private WorkflowStub start(String workflowId, String nodes) {
    String definition = """
        apiVersion: agentflow/v1
        name: capacity-graph
        version: 1
        models:
          m:
            provider: openai
            model: gpt-test
            baseUrl: %s
            apiKey: %s
            timeout: 10s
            maxTokens: 100
        """.formatted(stub.baseUrl(), TestModels.KEY_REF) + nodes;
    WorkflowStub run = environment.getWorkflowClient().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    run.start(new RunRequest(TextNode.valueOf(definition), GraphHarness.json("{}"), null));
    return run;
  }

  private static Progress progress(WorkflowStub run) {
    return run.query("progress", Progress.class);
  }

  /** Polls the run's progress until {@code reached} holds, for at most 20 s. */
  private static void awaitProgress(WorkflowStub run, Predicate<Progress> reached) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!reached.test(progress(run)) && System.nanoTime() < deadline) {
      Thread.sleep(50);
    }
  }

  @Test
  void should_show_a_call_waiting_for_capacity_in_progress_until_it_is_admitted() throws Exception {
    stub.enqueue(StubResponse.text("first", 10, 10)
        .withHeader("x-ratelimit-remaining-tokens", "0")
        .withHeader("x-ratelimit-reset-tokens", "4s"));
    stub.enqueue(StubResponse.text("second", 10, 10));
    WorkflowStub run = start("capacity-wait-shown", """
        start: first
        nodes:
          first: {kind: llm, model: m, prompt: "one", next: second}
          second: {kind: llm, model: m, prompt: "two", next: done}
          done: {kind: end, output: "nodes.second.output"}
        """);

    awaitProgress(run, progress -> !progress.waitingForCapacity().isEmpty());
    assertThat(progress(run).waitingForCapacity()).singleElement().satisfies(wait -> {
      assertThat(wait.call()).isEqualTo("second#0");
      assertThat(wait.note()).startsWith("waiting for capacity in pool 'openai'").contains("100000 tokens per minute");
    });

    assertThat(run.getResult(RunResult.class).output().asText()).isEqualTo("second");
    assertThat(progress(run).waitingForCapacity()).as("admitted and answered").isEmpty();
    assertThat(run.query("events", RunEventsPage.class, 0L).events())
        .filteredOn(event -> RunEvent.MODEL_WAITING.equals(event.type()))
        .singleElement()
        .satisfies(event -> assertThat(event.node()).isEqualTo("second"));
    List<HistoryEvent> signals = environment.getWorkflowClient().fetchHistory("capacity-wait-shown").getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
        .toList();
    assertThat(signals).as("one report when the wait got long, one when admitted")
        .extracting(event -> event.getWorkflowExecutionSignaledEventAttributes().getSignalName())
        .containsExactly(CapacityWait.SIGNAL, CapacityWait.SIGNAL);
    RecordedHistories.keep(environment.getWorkflowClient(), "capacity-wait-shown", "capacity-wait-reported");
  }

  @Test
  void should_tell_the_run_nothing_when_its_calls_are_admitted_at_once() {
    stub.enqueue(StubResponse.text("first", 10, 10), StubResponse.text("second", 10, 10));
    WorkflowStub run = start("capacity-not-waited", """
        start: first
        nodes:
          first: {kind: llm, model: m, prompt: "one", next: second}
          second: {kind: llm, model: m, prompt: "two", next: done}
          done: {kind: end, output: "nodes.second.output"}
        """);

    run.getResult(RunResult.class);

    assertThat(environment.getWorkflowClient().fetchHistory("capacity-not-waited").getEvents())
        .noneMatch(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED);
  }

  @Test
  void should_ignore_a_capacity_report_for_a_call_the_run_does_not_have_in_flight() throws Exception {
    WorkflowStub run = start("capacity-report-forged", """
        start: hold
        nodes:
          hold: {kind: wait, event: go, next: done}
          done: {kind: end}
        """);
    awaitProgress(run, progress -> "go".equals(progress.waitingFor()));

    run.signal(CapacityWait.SIGNAL, new CapacityWait("hold#0", "waiting for capacity in pool 'openai': forged"));
    run.signal("go", GraphHarness.json("{}"));
    run.getResult(RunResult.class);

    Progress after = progress(run);
    assertThat(after.waitingForCapacity()).isEmpty();
    assertThat(after.rejectedSignals()).as("not a wait node's signal either").isZero();
  }
}
