package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Runs graphs on Temporal's in-memory test server with the real interpreter and activities: the
 * offline provider answers from a script given as YAML text, and tests add their own tools.
 */
final class GraphHarness implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final TestWorkflowEnvironment environment;
  private final DirectoryBlobStore blobs;

  GraphHarness(Path tempDir, String offlineScriptYaml, List<? extends Tool> extraTools) {
    this(tempDir, offlineScriptYaml, extraTools, true);
  }

  /** With {@code timeSkipping} false, timers take real time (for tests where activities sleep). */
  GraphHarness(Path tempDir, String offlineScriptYaml, List<? extends Tool> extraTools, boolean timeSkipping) {
    this(tempDir, offlineScriptYaml, extraTools, timeSkipping, Duration.ZERO);
  }

  /** With every blob read taking {@code blobReadDelay} (to hold a run inside a load). */
  GraphHarness(Path tempDir, String offlineScriptYaml, List<? extends Tool> extraTools, boolean timeSkipping,
      Duration blobReadDelay) {
    this(tempDir, offlineScriptYaml, extraTools, timeSkipping, blobReadDelay, null);
  }

  /** With a graph registry the worker resolves references against (its blobs: {@code registry.blobs}). */
  GraphHarness(Path tempDir, String offlineScriptYaml, GraphRegistry registry) {
    this(tempDir, offlineScriptYaml, List.of(), true, Duration.ZERO, registry);
  }

  private GraphHarness(Path tempDir, String offlineScriptYaml, List<? extends Tool> extraTools, boolean timeSkipping,
      Duration blobReadDelay, GraphRegistry registry) {
    this.environment =
        TestWorkflowEnvironment.newInstance(
            io.temporal.testing.TestEnvironmentOptions.newBuilder().setUseTimeskipping(timeSkipping).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    this.blobs = new DirectoryBlobStore(tempDir.resolve("blobs"));
    EngineConfig config = config(tempDir, offlineScriptYaml, extraTools, blobs);
    if (!blobReadDelay.isZero()) {
      config = new EngineConfig(config.tools(), slowReads(blobs, blobReadDelay), config.secrets(),
          config.offlineScripts(), config.forceOffline(), config.settings());
    }
    if (registry != null) {
      config = config.withRegistry(registry);
    }
    AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config)
        .registerWorkflowImplementationTypes(ParentWorkflow.Impl.class);
    environment.start();
  }

  static EngineConfig config(Path tempDir, String offlineScriptYaml, List<? extends Tool> extraTools, DirectoryBlobStore blobs) {
    ScriptLibrary scripts = ScriptLibrary.empty();
    if (offlineScriptYaml != null) {
      try {
        Path script = Files.createTempFile(tempDir, "script", ".offline.yaml");
        Files.writeString(script, offlineScriptYaml);
        scripts = ScriptLibrary.loadFile(script);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    ToolRegistry tools = ToolRegistry.loadFromClasspath().with(extraTools);
    return new EngineConfig(tools, blobs, new SecretResolver(Map.of()), scripts, true);
  }

  private static BlobStore slowReads(BlobStore store, Duration delay) {
    return new BlobStore() {
      @Override
      public String put(byte[] content) {
        return store.put(content);
      }

      @Override
      public byte[] get(String ref) {
        try {
          Thread.sleep(delay.toMillis());
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        return store.get(ref);
      }
    };
  }

  TestWorkflowEnvironment environment() {
    return environment;
  }

  WorkflowClient client() {
    return environment.getWorkflowClient();
  }

  DirectoryBlobStore blobs() {
    return blobs;
  }

  /** Starts a run and returns its stub (the run is in progress). */
  WorkflowStub start(String definitionYaml, String inputJson, String workflowId) {
    return start(definitionYaml, inputJson, workflowId, new RunOptions("test.yaml", null));
  }

  /** Starts a run with these options and returns its stub (the run is in progress). */
  WorkflowStub start(String definitionYaml, String inputJson, String workflowId, RunOptions options) {
    WorkflowStub stub =
        client()
            .newUntypedWorkflowStub(
                AgentGraphWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(workflowId)
                    .setTaskQueue(AgentGraphWorkflow.TASK_QUEUE)
                    .build());
    stub.start(new RunRequest(TextNode.valueOf(definitionYaml), json(inputJson), options));
    return stub;
  }

  /**
   * Starts {@code request} as the child of a {@link ParentWorkflow} (as a fan-out or subgraph node
   * would, engine-only fields included) and returns the parent's stub; its result is the child's.
   */
  WorkflowStub startAsChild(RunRequest request, String parentWorkflowId) {
    WorkflowStub parent =
        client()
            .newUntypedWorkflowStub(
                ParentWorkflow.TYPE,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(parentWorkflowId)
                    .setTaskQueue(AgentGraphWorkflow.TASK_QUEUE)
                    .build());
    parent.start(request, parentWorkflowId + "-child");
    return parent;
  }

  /** Runs to completion and returns the result (throws WorkflowFailedException on failure). */
  RunResult run(String definitionYaml, String inputJson) {
    return start(definitionYaml, inputJson, "run-" + UUID.randomUUID()).getResult(RunResult.class);
  }

  List<HistoryEvent> history(String workflowId) {
    return client().fetchHistory(workflowId).getHistory().getEventsList();
  }

  /**
   * The history of every run of a workflow id, oldest first: the first run's, then each run it
   * continued as new into, following {@code newExecutionRunId} from each run's last event.
   */
  List<WorkflowExecutionHistory> chain(String workflowId) {
    String runId = client().fetchHistory(workflowId).getHistory().getEvents(0)
        .getWorkflowExecutionStartedEventAttributes().getFirstExecutionRunId();
    List<WorkflowExecutionHistory> runs = new ArrayList<>();
    while (runId != null) {
      WorkflowExecutionHistory run = client().fetchHistory(workflowId, runId);
      runs.add(run);
      HistoryEvent last = run.getLastEvent();
      runId = last.hasWorkflowExecutionContinuedAsNewEventAttributes()
          ? last.getWorkflowExecutionContinuedAsNewEventAttributes().getNewExecutionRunId()
          : null;
    }
    return runs;
  }

  /** Polls the progress query until the run waits for {@code event} (a wait node or a budget question). */
  static void awaitWaitingFor(WorkflowStub stub, String event) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (System.nanoTime() < deadline) {
      try {
        if (event.equals(stub.query("progress", Progress.class).waitingFor())) {
          return;
        }
      } catch (RuntimeException notYet) {
        // the first workflow task may not have run yet
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
    throw new AssertionError("the run never waited for '" + event + "'");
  }

  static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    environment.close();
  }
}
