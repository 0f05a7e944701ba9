package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against the OpenAI-compatible stub over real HTTP through the real langchain4j client: the
 * whole path from the interpreter to the wire, on Temporal's in-memory server in real time. Losing
 * a worker mid-run is proven against the real server in {@code WorkerSigkillIT}: the in-memory
 * server can hand a workflow task to a poll of a worker that is shutting down and then never
 * dispatch it again.
 */
class StubModelRunTest {

  @TempDir Path tempDir;

  private StubOpenAiServer stub;
  private TestWorkflowEnvironment environment;
  private EngineConfig config;
  private final TestTools.Simple counter = TestTools.counting("counter");

  @BeforeEach
  void start() {
    stub = StubOpenAiServer.start();
    environment =
        TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    config =
        new EngineConfig(
            ToolRegistry.loadFromClasspath().with(List.of(counter)),
            new DirectoryBlobStore(tempDir.resolve("blobs")),
            TestModels.secrets(),
            ScriptLibrary.empty(),
            false,
            TestModels.stubSettings());
    AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config);
    environment.start();
  }

  @AfterEach
  void stop() {
    environment.close();
    stub.close();
  }

  private String header(String timeout) {
    return """
        apiVersion: agentflow/v1
        name: stub-graph
        version: 1
        models:
          m:
            provider: openai
            model: gpt-test
            baseUrl: %s
            apiKey: %s
            timeout: %s
            retry: {initialInterval: 200ms, backoff: 1.0, maxInterval: 200ms, maxAttempts: 5}
        """.formatted(stub.baseUrl(), TestModels.KEY_REF, timeout);
  }

  private WorkflowStub start(String definition, String workflowId) {
    WorkflowStub run =
        environment.getWorkflowClient()
            .newUntypedWorkflowStub(
                AgentGraphWorkflow.TYPE,
                WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    run.start(new RunRequest(TextNode.valueOf(definition), GraphHarness.json("{}"), null));
    return run;
  }

  @Test
  void should_fail_the_run_with_ContentFilterError_after_one_request() {
    stub.enqueue(StubResponse.contentFilter());
    WorkflowStub run = start(header("5s") + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "something filtered", next: done}
          done: {kind: end}
        """, "content-filter-fails");

    assertThatThrownBy(() -> run.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.failureType(e)).isEqualTo("ContentFilterError"));
    assertThat(stub.requestCount()).isEqualTo(1);
  }

  @Test
  void should_take_the_error_route_on_a_content_filter() {
    stub.enqueue(StubResponse.contentFilter());
    WorkflowStub run = start(header("5s") + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "something filtered", onError: apologise, next: done}
          done: {kind: end, output: "'answered'"}
          apologise: {kind: end, output: "({apology: true, type: output.error.type})"}
        """, "content-filter-routes");

    RunResult result = run.getResult(RunResult.class);
    assertThat(result.output().get("type").asText()).isEqualTo("ContentFilterError");
    assertThat(stub.requestCount()).isEqualTo(1);
  }

  @Test
  void should_retry_a_server_error_and_finish() {
    stub.enqueue(StubResponse.serverError(), StubResponse.text("fine now", 7, 3));
    WorkflowStub run = start(header("5s") + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end, output: "nodes.ask.output"}
        """, "server-error-retried");

    RunResult result = run.getResult(RunResult.class);
    assertThat(result.output().asText()).isEqualTo("fine now");
    assertThat(stub.requestCount()).isEqualTo(2);
    assertThat(result.usage().total().total()).isEqualTo(10);
  }

  @Test
  void should_not_leak_the_api_key_into_workflow_history() {
    stub.enqueue(StubResponse.text("hi", 1, 1));
    WorkflowStub run = start(header("5s") + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end}
        """, "no-key-in-history");
    run.getResult(RunResult.class);

    WorkflowClient client = environment.getWorkflowClient();
    String history = client.fetchHistory("no-key-in-history").toJson(false);
    assertThat(history).doesNotContain(TestModels.KEY);
  }

  @Test
  void should_stop_a_model_call_in_flight_over_http_when_the_run_is_cancelled() throws Exception {
    stub.enqueue(StubResponse.text("far too late", 1, 1).delayedBy(java.time.Duration.ofSeconds(30)));
    WorkflowStub run = start(header("60s") + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "take your time", next: done}
          done: {kind: end}
        """, "cancelled-over-http");
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (stub.requestCount() == 0 && System.nanoTime() < deadline) {
      Thread.sleep(20);
    }

    run.cancel();

    assertThatThrownBy(() -> run.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(io.temporal.failure.CanceledFailure.class);
    assertThat(environment.getWorkflowClient().fetchHistory("cancelled-over-http").getEvents())
        .as("the call confirmed its cancellation (its HTTP request was interrupted), it did not run out its 30 s")
        .anyMatch(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED);
    assertThat(stub.requestCount()).isEqualTo(1);
  }
}
