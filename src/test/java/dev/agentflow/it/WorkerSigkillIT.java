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
 * A worker machine dies mid-run: {@code agentflow worker} in its own JVM is killed with SIGKILL
 * while a model call is in flight, a new worker process takes over, and the run finishes without
 * redoing a finished model call.
 */
class WorkerSigkillIT {

  private static final int STEPS = 10;
  private static final Duration LATENCY = Duration.ofMillis(400);
  private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(3);
  private static final Map<String, String> KEYS =
      Map.of(StepChain.KEY_VARIABLE, "sk-it-not-a-real-key", "OPENAI_API_KEY", "sk-it-not-a-real-key");

  @TempDir Path blobDir;

  private WorkflowServiceStubs service;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @BeforeEach
  void connect() {
    service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(ItEnvironment.temporalAddress()).build());
  }

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (WorkerProcess worker : workers) {
      worker.close();
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  private WorkerProcess startWorker(String taskQueue, String name) throws Exception {
    WorkerProcess worker = WorkerProcess.start(ItEnvironment.temporalAddress(), taskQueue, blobDir, KEYS,
        Path.of("target", "it-logs", taskQueue + "-" + name + ".log"));
    workers.add(worker);
    return worker;
  }

  @Test
  void a_run_survives_its_worker_being_killed_and_no_finished_model_call_is_made_again() throws Exception {
    String taskQueue = "it-sigkill-" + UUID.randomUUID();
    try (StepChain chain = new StepChain(STEPS, LATENCY, MODEL_TIMEOUT)) {
      WorkerProcess first = startWorker(taskQueue, "first");
      WorkflowClient client = WorkflowClient.newInstance(service);
      WorkflowStub run = client.newUntypedWorkflowStub("AgentGraph",
          WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(taskQueue).build());
      long started = System.nanoTime();
      run.start(chain.runRequest());

      StepChain.await(() -> chain.requestsOf(4) >= 1, Duration.ofSeconds(60), "step 4's model call");
      int exit = first.kill();
      List<Integer> atKill = chain.requestsPerStep();
      long killedAtMillis = (System.nanoTime() - started) / 1_000_000;
      WorkerProcess second = startWorker(taskQueue, "second");
      JsonNode result = run.getResult(2, TimeUnit.MINUTES, JsonNode.class);
      long totalMillis = (System.nanoTime() - started) / 1_000_000;

      System.out.printf("worker SIGKILL: killed pid %d (exit %d) after %d ms with requests per step %s;"
              + " worker %d finished the run after %d ms in all; requests per step %s%n",
          first.pid(), exit, killedAtMillis, atKill, second.pid(), totalMillis, chain.requestsPerStep());
      assertThat(exit).as("exit status of the killed worker (128 + SIGKILL)").isEqualTo(WorkerProcess.SIGKILL_EXIT);
      assertThat(atKill.subList(0, 4)).as("steps 1-4 had asked the model when the worker died").containsOnly(1);
      assertThat(atKill.subList(4, STEPS)).as("steps 5-10 had not started").containsOnly(0);
      assertThat(result.get("output")).isEqualTo(chain.expectedOutput());
      List<Integer> requests = chain.requestsPerStep();
      assertThat(requests.subList(0, 3)).as("steps finished before the kill: asked once").containsOnly(1);
      assertThat(requests.get(3)).as("step 4, in flight at the kill: asked again at most once").isBetween(1, 2);
      assertThat(requests.subList(4, STEPS)).as("steps after the kill: asked once").containsOnly(1);
    }
  }
}
