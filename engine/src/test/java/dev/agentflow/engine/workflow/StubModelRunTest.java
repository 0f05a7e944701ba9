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
import io.temporal.worker.WorkerFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs against the OpenAI-compatible stub over real HTTP through the real langchain4j client: the
 * whole path from the interpreter to the wire, on Temporal's in-memory server in real time.
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
    config =
        new EngineConfig(
            ToolRegistry.loadFromClasspath().with(List.of(counter)),
            new DirectoryBlobStore(tempDir.resolve("blobs")),
            TestModels.secrets(),
            ScriptLibrary.empty(),
            false);
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
  void should_finish_on_a_new_worker_without_repeating_completed_calls_when_the_worker_is_lost()
      throws Exception {
    stub.whenScriptEmpty(StubResponse.text("ok", 5, 1).delayedBy(Duration.ofMillis(300)));
    StringBuilder nodes = new StringBuilder("start: s1\nnodes:\n");
    for (int step = 1; step <= 4; step++) {
      nodes.append("  s").append(step).append(": {kind: llm, model: m, prompt: \"step ").append(step)
          .append("\", next: t").append(step).append("}\n");
      nodes.append("  t").append(step).append(": {kind: tool, tool: counter, arguments: {step: ").append(step)
          .append("}, next: ").append(step < 4 ? "s" + (step + 1) : "done").append("}\n");
    }
    nodes.append("  done: {kind: end, output: \"nodes.t4.output.step\"}\n");
    WorkflowStub run = start(header("2s") + nodes, "worker-loss");

    long deadline = System.currentTimeMillis() + 30_000;
    while (stub.requestCount() < 2 && System.currentTimeMillis() < deadline) {
      Thread.sleep(20);
    }
    WorkerFactory lost = environment.getWorkerFactory();
    lost.shutdownNow();
    lost.awaitTermination(10, TimeUnit.SECONDS);
    int seenBeforeLoss = stub.requestCount();

    WorkerFactory replacement = WorkerFactory.newInstance(environment.getWorkflowClient());
    AgentflowWorkers.register(replacement, AgentGraphWorkflow.TASK_QUEUE, config);
    replacement.start();
    try {
      RunResult result = run.getResult(RunResult.class);
      assertThat(result.output().asInt()).isEqualTo(4);
    } finally {
      replacement.shutdownNow();
    }

    assertThat(seenBeforeLoss).isBetween(2, 3);
    for (int step = 1; step <= 4; step++) {
      String prompt = "step " + step;
      long requests = stub.requests().stream().filter(r -> r.body().toString().contains(prompt)).count();
      if (step < seenBeforeLoss) {
        assertThat(requests).as("completed call for %s", prompt).isEqualTo(1);
      } else {
        assertThat(requests).as("call for %s", prompt).isBetween(1L, 2L);
      }
    }
    assertThat(counter.calls()).isBetween(4, 5);
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
}
