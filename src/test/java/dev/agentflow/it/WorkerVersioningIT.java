package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.WorkerVersioning;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.Progress;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.api.enums.v1.VersioningBehavior;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The interpreter rolled out with Worker Versioning on the real dev server: runs start on build A
 * (current), build B is made current with the stock {@code temporal worker deployment
 * set-current-version}, the runs in flight finish on A (PINNED) and a new run starts and finishes on
 * B. Which build ran each workflow task is read from the histories.
 */
class WorkerVersioningIT {

  @TempDir Path tempDir;

  private final List<WorkerFactory> factories = new ArrayList<>();
  private WorkflowServiceStubs service;
  private String address;

  @AfterEach
  void stop() throws InterruptedException {
    for (WorkerFactory factory : factories) {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  @Test
  void should_finish_runs_in_flight_on_build_a_and_start_new_runs_on_build_b_once_b_is_current() throws Exception {
    address = ItEnvironment.temporalAddress();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String deployment = "agentflow-it-" + suffix;
    String queue = "versioning-it-" + suffix;
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(service);

    startWorker(client, queue, new WorkerVersioning(deployment, "build-a"));
    setCurrent(deployment, "build-a");
    WorkflowStub first = start(client, queue, queue + "-first");
    WorkflowStub second = start(client, queue, queue + "-second");
    awaitWaiting(first);
    awaitWaiting(second);

    startWorker(client, queue, new WorkerVersioning(deployment, "build-b"));
    setCurrent(deployment, "build-b");
    WorkflowStub third = start(client, queue, queue + "-third");
    awaitWaiting(third);
    for (WorkflowStub run : List.of(first, second, third)) {
      run.signal("go", new ObjectMapper().createObjectNode());
    }
    for (WorkflowStub run : List.of(first, second, third)) {
      run.getResult(1, TimeUnit.MINUTES, RunResult.class);
    }

    assertThat(buildsThatRan(client, queue + "-first")).containsExactly("build-a");
    assertThat(buildsThatRan(client, queue + "-second")).containsExactly("build-a");
    assertThat(buildsThatRan(client, queue + "-third")).containsExactly("build-b");
    assertThat(behaviours(client, queue + "-first")).containsOnly(VersioningBehavior.VERSIONING_BEHAVIOR_PINNED);
  }

  private void startWorker(WorkflowClient client, String queue, WorkerVersioning versioning) throws IOException {
    AgentflowConfig settings = AgentflowConfig.defaults().withTaskQueue(queue);
    WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(),
        new DirectoryBlobStore(tempDir.resolve("blobs")), new SecretResolver(Map.of()), ScriptLibrary.empty(), true, settings)
        .withVersioning(versioning);
    AgentflowWorkers.register(factory, queue, config);
    factory.start();
    factories.add(factory);
  }

  private static WorkflowStub start(WorkflowClient client, String queue, String workflowId) {
    WorkflowStub stub = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(queue).build());
    stub.start(new RunRequest(TextNode.valueOf("""
        apiVersion: agentflow/v1
        name: versioned
        version: 1
        start: hold
        nodes:
          hold: {kind: wait, event: go, timeout: 10m, next: done}
          done: {kind: end, output: "'done'"}
        """), new ObjectMapper().createObjectNode(), new RunOptions("versioned.yaml", null)));
    return stub;
  }

  /** The version becomes known once its workers poll: retries until the server accepts it (30 s). */
  private void setCurrent(String deployment, String buildId) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    String output = "";
    while (System.nanoTime() < deadline) {
      Process process = new ProcessBuilder(ItEnvironment.temporalBinary().toString(), "worker", "deployment",
          "set-current-version", "--deployment-name", deployment, "--build-id", buildId, "--yes", "--address", address)
          .redirectErrorStream(true).start();
      output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError("could not make " + deployment + "." + buildId + " current: " + output);
  }

  private static void awaitWaiting(WorkflowStub run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (System.nanoTime() < deadline) {
      try {
        if ("go".equals(run.query("progress", Progress.class).waitingFor())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // its first workflow task has not run yet
      }
      Thread.sleep(100);
    }
    throw new AssertionError(run.getExecution().getWorkflowId() + " never waited for 'go'");
  }

  private static Set<String> buildsThatRan(WorkflowClient client, String workflowId) {
    Set<String> builds = new TreeSet<>();
    for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
      if (event.hasWorkflowTaskCompletedEventAttributes()) {
        builds.add(event.getWorkflowTaskCompletedEventAttributes().getDeploymentVersion().getBuildId());
      }
    }
    return builds;
  }

  private static Set<VersioningBehavior> behaviours(WorkflowClient client, String workflowId) {
    Set<VersioningBehavior> behaviours = new java.util.HashSet<>();
    for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
      if (event.hasWorkflowTaskCompletedEventAttributes()) {
        behaviours.add(event.getWorkflowTaskCompletedEventAttributes().getVersioningBehavior());
      }
    }
    return behaviours;
  }
}
