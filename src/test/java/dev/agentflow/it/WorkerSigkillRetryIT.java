package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.testing.StubOpenAiServer;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
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
 * How long a run waits for a model call lost with its worker. Two worker processes serve the task
 * queue (each with its own made-up key, so the stub tells which one sent a request); the one that
 * sends step 2's request is killed with SIGKILL while the 500 ms call is in flight. The call has
 * the default 60 s StartToClose timeout, and LLM activities heartbeat, so the server notices the
 * lost call after the heartbeat timeout and the surviving worker retries it. Prints how long the
 * retry took and how much wall time the run lost against the same run without a kill.
 */
class WorkerSigkillRetryIT {

  private static final int STEPS = 4;
  private static final int KILLED_STEP = 2;
  private static final Duration LATENCY = Duration.ofMillis(500);
  private static final Duration MODEL_TIMEOUT = Duration.ofSeconds(60);

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
    // any OPENAI_API_KEY keeps the worker off the offline scripts; the models use KEY_VARIABLE
    Map<String, String> keys = Map.of(StepChain.KEY_VARIABLE, key(name), "OPENAI_API_KEY", key(name));
    WorkerProcess worker = WorkerProcess.start(ItEnvironment.temporalAddress(), taskQueue, blobDir, keys,
        Path.of("target", "it-logs", taskQueue + "-" + name + ".log"));
    workers.add(worker);
    return worker;
  }

  private static String key(String workerName) {
    return "sk-it-not-a-real-key-" + workerName;
  }

  private long runMillis(WorkflowClient client, String taskQueue, StepChain chain, String workflowId)
      throws java.util.concurrent.TimeoutException {
    WorkflowStub run = client.newUntypedWorkflowStub("AgentGraph",
        WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(workflowId).build());
    long started = System.nanoTime();
    run.start(chain.runRequest());
    run.getResult(3, TimeUnit.MINUTES, com.fasterxml.jackson.databind.JsonNode.class);
    return (System.nanoTime() - started) / 1_000_000;
  }

  @Test
  void a_model_call_lost_with_its_worker_is_retried_long_before_its_start_to_close_timeout() throws Exception {
    String taskQueue = "it-sigkill-retry-" + UUID.randomUUID();
    WorkflowClient client = WorkflowClient.newInstance(service);
    WorkerProcess first = startWorker(taskQueue, "a");
    WorkerProcess second = startWorker(taskQueue, "b");

    long withoutKill;
    try (StepChain chain = new StepChain(STEPS, LATENCY, MODEL_TIMEOUT)) {
      runMillis(client, taskQueue, chain, taskQueue + "-warm-up");
    }
    try (StepChain chain = new StepChain(STEPS, LATENCY, MODEL_TIMEOUT)) {
      withoutKill = runMillis(client, taskQueue, chain, taskQueue + "-no-kill");
    }

    try (StepChain chain = new StepChain(STEPS, LATENCY, MODEL_TIMEOUT)) {
      WorkflowStub run = client.newUntypedWorkflowStub("AgentGraph",
          WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(taskQueue + "-kill").build());
      long started = System.nanoTime();
      run.start(chain.runRequest());
      StepChain.await(() -> chain.requestsOf(KILLED_STEP) >= 1, Duration.ofSeconds(60), "step 2's model call");
      StubOpenAiServer.RecordedRequest inFlight = chain.requests(KILLED_STEP).get(0);
      WorkerProcess holder = inFlight.headers().get("authorization").endsWith(key("a")) ? first : second;
      Instant killedAt = Instant.now();
      int exit = holder.kill();
      run.getResult(3, TimeUnit.MINUTES, com.fasterxml.jackson.databind.JsonNode.class);
      long withKill = (System.nanoTime() - started) / 1_000_000;

      List<StubOpenAiServer.RecordedRequest> requests = chain.requests(KILLED_STEP);
      assertThat(exit).as("exit status of the killed worker").isEqualTo(WorkerProcess.SIGKILL_EXIT);
      assertThat(requests).as("step 2 was asked again after the kill").hasSize(2);
      long retryMillis = Duration.between(killedAt, requests.get(1).receivedAt()).toMillis();
      System.out.printf("worker SIGKILL during a %d ms model call (StartToClose %d s): retried %d ms after the kill;"
              + " the run took %d ms against %d ms without a kill: %d ms lost%n",
          LATENCY.toMillis(), MODEL_TIMEOUT.toSeconds(), retryMillis, withKill, withoutKill, withKill - withoutKill);
      assertThat(retryMillis).as("retried long before the 60 s StartToClose timeout")
          .isLessThan(MODEL_TIMEOUT.toMillis() / 2);
    }
  }
}
