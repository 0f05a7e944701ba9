package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Temporal server goes away mid-run: the dev server is stopped (SIGTERM) and started again on
 * the same SQLite file and port while a model call is in flight. The run picks up where it was and
 * returns what an uninterrupted run of the same graph returns.
 */
class ServerRestartIT {

  private static final int STEPS = 10;
  private static final Duration LATENCY = Duration.ofMillis(400);
  private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(3);
  private static final Map<String, String> KEYS =
      Map.of(StepChain.KEY_VARIABLE, "sk-it-not-a-real-key", "OPENAI_API_KEY", "sk-it-not-a-real-key");

  @TempDir Path blobDir;

  private WorkflowServiceStubs service;
  private WorkerProcess worker;

  @BeforeEach
  void connect() {
    service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(ItEnvironment.temporalAddress()).build());
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    if (worker != null) {
      worker.close();
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  @Test
  void a_run_survives_a_server_restart_on_the_same_database_with_the_same_result() throws Exception {
    TemporalDevServer server = new TemporalDevServer(ItEnvironment.temporalControlScript());
    String taskQueue = "it-restart-" + UUID.randomUUID();
    try (StepChain chain = new StepChain(STEPS, LATENCY, MODEL_TIMEOUT)) {
      worker = WorkerProcess.start(ItEnvironment.temporalAddress(), taskQueue, blobDir, KEYS,
          Path.of("target", "it-logs", taskQueue + ".log"));
      WorkflowClient client = WorkflowClient.newInstance(service);

      WorkflowStub reference = newRun(client, taskQueue, "uninterrupted");
      reference.start(chain.runRequest());
      JsonNode uninterrupted = reference.getResult(1, TimeUnit.MINUTES, JsonNode.class);
      List<Integer> before = chain.requestsPerStep();

      WorkflowStub run = newRun(client, taskQueue, "restarted");
      long started = System.nanoTime();
      run.start(chain.runRequest());
      StepChain.await(() -> chain.requestsOf(4) > before.get(3), Duration.ofSeconds(60), "step 4's model call");
      Duration stopping = server.stop();
      long stoppedAtMillis = (System.nanoTime() - started) / 1_000_000;
      Duration starting = server.start();
      JsonNode restarted = run.getResult(2, TimeUnit.MINUTES, JsonNode.class);
      long totalMillis = (System.nanoTime() - started) / 1_000_000;

      List<Integer> requests = new ArrayList<>();
      for (int step = 1; step <= STEPS; step++) {
        requests.add(chain.requestsOf(step) - before.get(step - 1));
      }
      System.out.printf("server restart: stopped after %d ms (stop took %d ms, start %d ms); run finished after %d ms;"
              + " requests per step %s%n",
          stoppedAtMillis, stopping.toMillis(), starting.toMillis(), totalMillis, requests);
      assertThat(uninterrupted.get("output")).isEqualTo(chain.expectedOutput());
      assertThat(restarted.get("output")).isEqualTo(uninterrupted.get("output"));
      assertThat(nodes(restarted)).isEqualTo(nodes(uninterrupted));
      assertThat(requests.subList(0, 3)).as("steps finished before the restart: asked once").containsOnly(1);
      assertThat(requests.get(3)).as("step 4, in flight at the restart: asked again at most once").isBetween(1, 2);
      assertThat(requests.subList(4, STEPS)).as("steps after the restart: asked once").containsOnly(1);
    }
  }

  private static WorkflowStub newRun(WorkflowClient client, String taskQueue, String name) {
    return client.newUntypedWorkflowStub("AgentGraph",
        WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(taskQueue + "-" + name).build());
  }

  /** The node ids of the trace, in order. */
  private static List<String> nodes(JsonNode result) {
    List<String> nodes = new ArrayList<>();
    result.get("trace").forEach(entry -> nodes.add(entry.get("node").asText()));
    return nodes;
  }
}
