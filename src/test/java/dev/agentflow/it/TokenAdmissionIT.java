package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.llm.admission.CapacityWait;
import dev.agentflow.engine.testing.TokenLimitedOpenAiServer;
import dev.agentflow.engine.workflow.Progress;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tokens-per-minute admission across a deployment: two {@code agentflow worker} processes share a
 * pool limited to {@value #TPM} tokens per minute (their admission in the PostgreSQL database of
 * their blob store), and {@value #RUNS} runs each make one model call to a stub that enforces that
 * limit the way providers do. The stub must never refuse a call, never see more than 105% of the
 * limit in any one-minute window, and see at least 90% of it over two minutes of backlog; waiting
 * calls say so in their heartbeat details and, once they have waited a second, in their run's
 * {@code progress} query. About two minutes long (two windows).
 */
class TokenAdmissionIT {

  static final long TPM = 6000;
  static final int RUNS = 56;
  private static final int COMPLETION_TOKENS = 120;
  private static final int MAX_TOKENS = 150;
  private static final String PROMPT = "Summarise the admission test. ".repeat(14).substring(0, 400);
  private static final Map<String, String> KEYS =
      Map.of(StepChain.KEY_VARIABLE, "sk-it-not-a-real-key", "OPENAI_API_KEY", "sk-it-not-a-real-key");
  private static final ObjectMapper JSON = new ObjectMapper();

  private WorkflowServiceStubs service;
  private final List<WorkerProcess> workers = new ArrayList<>();

  @AfterEach
  void cleanUp() throws InterruptedException {
    for (WorkerProcess worker : workers) {
      worker.close();
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  private static String postgresUrl() throws Exception {
    String url = System.getenv("AGENTFLOW_IT_PG_URL");
    assumeTrue(url != null && !url.isBlank(), "AGENTFLOW_IT_PG_URL is not set: no PostgreSQL to test against (.ci/run starts one)");
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private static String workerConfig(String postgresUrl) {
    return WorkerProcess.IT_CONFIG + """
        blobStore: {type: postgres, url: '%s'}
        pools:
          openai: {maxTokensPerMinute: %d}
        """.formatted(postgresUrl, TPM);
  }

  private static String definition(String baseUrl) {
    return """
        apiVersion: agentflow/v1
        name: it-token-admission
        version: 1
        input: {type: object, required: [text], properties: {text: {type: string}}}
        models:
          m: {provider: openai, model: gpt-it, baseUrl: '%s', apiKey: 'env:%s', maxTokens: %d, timeout: 20s,
              retry: {initialInterval: 1s, maxAttempts: 3}}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: '${input.text}', next: done}
          done: {kind: end, output: 'nodes.ask.output'}
        """.formatted(baseUrl, StepChain.KEY_VARIABLE, MAX_TOKENS);
  }

  @Test
  void two_workers_keep_a_pool_within_its_tokens_per_minute_without_a_429_and_use_most_of_it() throws Exception {
    String address = ItEnvironment.temporalAddress();
    String config = workerConfig(postgresUrl());
    String taskQueue = "it-tpm-" + UUID.randomUUID();
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try (TokenLimitedOpenAiServer stub = TokenLimitedOpenAiServer.start(TPM, COMPLETION_TOKENS, Duration.ofMillis(200))) {
      for (String name : List.of("first", "second")) {
        workers.add(WorkerProcess.start(address, taskQueue, config, KEYS,
            Path.of("target", "it-logs", taskQueue + "-" + name + ".log")));
      }
      WorkflowClient client = WorkflowClient.newInstance(service);
      List<WorkflowStub> runs = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        WorkflowStub run = client.newUntypedWorkflowStub("AgentGraph",
            WorkflowOptions.newBuilder().setTaskQueue(taskQueue).setWorkflowId(taskQueue + "-" + i).build());
        ObjectNode request = JSON.createObjectNode();
        request.put("definition", definition(stub.baseUrl()));
        request.putObject("input").put("text", PROMPT);
        request.putNull("options");
        run.start(request);
        runs.add(run);
      }

      String waitingNote = awaitWaitingNote(runs, Duration.ofSeconds(60));
      String progressNote = awaitProgressNote(runs, Duration.ofSeconds(60));
      for (WorkflowStub run : runs) {
        run.getResult(4, TimeUnit.MINUTES, JsonNode.class);
      }

      List<TokenLimitedOpenAiServer.Served> served = stub.served();
      Instant first = served.get(0).at();
      long inTwoMinutes = stub.tokensBetween(first, first.plus(Duration.ofMinutes(2)));
      long mostInAMinute = stub.mostTokensInAnyMinute();
      System.out.printf("TokenAdmissionIT: limit %d tokens/min; most in any minute %d (%.1f%%); 429s %d;"
              + " first two minutes %d tokens (%.1f%% of the limit); %d calls%n",
          TPM, mostInAMinute, 100.0 * mostInAMinute / TPM, stub.refused(), inTwoMinutes,
          100.0 * inTwoMinutes / (2 * TPM), served.size());
      assertThat(stub.refused()).as("429s").isZero();
      assertThat(served).hasSize(RUNS);
      assertThat(mostInAMinute).isLessThanOrEqualTo((long) (TPM * 1.05));
      assertThat(inTwoMinutes).as("tokens in the first two minutes of a backlog").isGreaterThanOrEqualTo((long) (2 * TPM * 0.9));
      assertThat(waitingNote).startsWith("waiting for capacity in pool 'openai'");
      assertThat(progressNote).as("a waiting call in a run's progress query").startsWith("waiting for capacity in pool 'openai'");
      for (WorkflowStub run : runs) {
        assertThat(run.query("progress", Progress.class).waitingForCapacity()).as("none waits once answered").isEmpty();
      }
      assertThat(workerIdentities(client, taskQueue)).as("both workers made calls").hasSize(2);
      long reports = capacityReports(client, taskQueue);
      System.out.printf("TokenAdmissionIT: %d capacity-wait signals in %d runs (two per call that waited over a second)%n",
          reports, RUNS);
      assertThat(reports % 2).as("every report of a wait is followed by one of its admission").isZero();
    }
  }

  /**
   * The heartbeat details of the first pending model call, of any of the runs, that says it is
   * waiting. Which calls wait is the machine's timing: a run whose call is still queued for a slot
   * has started no activity yet, so no single run is sure to show it.
   */
  private String awaitWaitingNote(List<WorkflowStub> runs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkflowStub run : runs) {
        String note = waitingNote(run.getExecution());
        if (note != null) {
          return note;
        }
      }
      Thread.sleep(200);
    }
    return "(no waiting note within " + timeout.toSeconds() + " s)";
  }

  /** The note of the first model call that a run's {@code progress} query shows waiting for capacity. */
  private static String awaitProgressNote(List<WorkflowStub> runs, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      for (WorkflowStub run : runs) {
        List<CapacityWait> waiting = run.query("progress", Progress.class).waitingForCapacity();
        if (!waiting.isEmpty()) {
          return waiting.get(0).note();
        }
      }
      Thread.sleep(200);
    }
    return "(no run's progress showed a wait within " + timeout.toSeconds() + " s)";
  }

  private String waitingNote(WorkflowExecution execution) {
    var described = service.blockingStub().describeWorkflowExecution(DescribeWorkflowExecutionRequest.newBuilder()
        .setNamespace("default").setExecution(execution).build());
    for (PendingActivityInfo pending : described.getPendingActivitiesList()) {
      if (pending.hasHeartbeatDetails() && pending.getHeartbeatDetails().getPayloadsCount() > 0) {
        String note = DefaultDataConverter.newDefaultInstance()
            .fromPayloads(0, Optional.of(pending.getHeartbeatDetails()), String.class, String.class);
        if (note != null && note.startsWith("waiting for capacity")) {
          return note;
        }
      }
    }
    return null;
  }

  private static long capacityReports(WorkflowClient client, String taskQueue) {
    long reports = 0;
    for (int i = 0; i < RUNS; i++) {
      for (HistoryEvent event : client.fetchHistory(taskQueue + "-" + i).getEvents()) {
        if (event.hasWorkflowExecutionSignaledEventAttributes()
            && CapacityWait.SIGNAL.equals(event.getWorkflowExecutionSignaledEventAttributes().getSignalName())) {
          reports++;
        }
      }
    }
    return reports;
  }

  private static Set<String> workerIdentities(WorkflowClient client, String taskQueue) {
    Set<String> identities = new TreeSet<>();
    for (int i = 0; i < RUNS; i++) {
      for (HistoryEvent event : client.fetchHistory(taskQueue + "-" + i).getEvents()) {
        if (event.hasActivityTaskStartedEventAttributes()) {
          identities.add(event.getActivityTaskStartedEventAttributes().getIdentity());
        }
      }
    }
    return identities;
  }
}
