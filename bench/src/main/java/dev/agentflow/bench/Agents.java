package dev.agentflow.bench;

import dev.agentflow.engine.testing.AgentLoopModel;
import dev.agentflow.engine.testing.BigResultTool;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.EgressConfig;
import dev.agentflow.engine.config.SecretGrant;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/** The two agents under test, each with its workers on queues of its own, on one server. */
final class Agents {

  /** How long a single run may take before the benchmark gives up on it. */
  private static final Duration AWAIT = Duration.ofMinutes(5);

  private Agents() {}

  /** One agent implementation: starts runs that make {@code toolRounds} tool calls, then answer. */
  interface Agent extends AutoCloseable {
    String name();

    /** Starts a run and returns its workflow id. */
    String start(int toolRounds);

    /** Waits for the run's result. */
    void await(String workflowId);

    @Override
    void close();
  }

  /** The seed's hand-written workflow: messages by value. */
  static final class SeedAgent implements Agent {
    private final WorkflowClient client;
    private final WorkerFactory factory;
    private final String queue;
    private final AtomicInteger runs = new AtomicInteger();

    SeedAgent(WorkflowClient client, AgentflowConfig settings, String queue, String baseUrl, int llmSlots) {
      this.client = client;
      this.queue = queue;
      this.factory = WorkerFactory.newInstance(client, AgentflowWorkers.factoryOptions(settings));
      SeedActivitiesImpl activities = new SeedActivitiesImpl(baseUrl);
      Worker workflows = factory.newWorker(queue, WorkerOptions.newBuilder()
          .setMaxConcurrentWorkflowTaskExecutionSize(settings.workflows().maxConcurrentTasks()).build());
      workflows.registerWorkflowImplementationTypes(SeedAgentWorkflowImpl.class);
      factory.newWorker(SeedAgentWorkflowImpl.llmQueue(queue),
              WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(llmSlots).build())
          .registerActivitiesImplementations(activities);
      factory.newWorker(SeedAgentWorkflowImpl.toolQueue(queue),
              WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(settings.tools().maxConcurrent()).build())
          .registerActivitiesImplementations(activities);
      factory.start();
    }

    @Override
    public String name() {
      return "seed (by value)";
    }

    @Override
    public String start(int toolRounds) {
      String id = queue + "-" + runs.incrementAndGet();
      SeedAgentWorkflow run = client.newWorkflowStub(SeedAgentWorkflow.class,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
      WorkflowClient.start(run::run, new Seed.AgentInput("You are a benchmark agent.", "work", toolRounds + 1));
      return id;
    }

    @Override
    public void await(String workflowId) {
      try {
        awaitOrTimeout(workflowId);
      } catch (TimeoutException e) {
        throw new IllegalStateException(workflowId + " did not finish within " + AWAIT, e);
      }
    }

    private void awaitOrTimeout(String workflowId) throws TimeoutException {
      client.newUntypedWorkflowStub(workflowId).getResult(AWAIT.toMinutes(), TimeUnit.MINUTES, Seed.AgentResult.class);
    }

    @Override
    public void close() {
      shutdown(factory);
    }
  }

  /** agentflow's interpreter running a one-node tool-loop graph, with its pools from the settings. */
  static final class AgentflowAgent implements Agent {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final WorkflowClient client;
    private final WorkerFactory factory;
    private final String queue;
    private final String baseUrl;
    private final AtomicInteger runs = new AtomicInteger();

    AgentflowAgent(WorkflowClient client, AgentflowConfig settings, String baseUrl, Path blobs) {
      this.client = client;
      this.queue = settings.taskQueue();
      this.baseUrl = baseUrl;
      this.factory = AgentflowWorkers.newFactory(client, settings);
      // the model stub is on 127.0.0.1: the worker allows it and grants BENCH_KEY to it explicitly
      AgentflowConfig local = settings.withEgress(new EgressConfig(List.of("127.0.0.1/32"), List.of(), true))
          .withSecrets(Map.of("BENCH_KEY", new SecretGrant(List.of(), List.of("openai"), List.of("127.0.0.1"))));
      EngineConfig config = new EngineConfig(
          ToolRegistry.loadFromClasspath().with(List.of(new BigResultTool())), new DirectoryBlobStore(blobs),
          new SecretResolver(Map.of("BENCH_KEY", "bench")), ScriptLibrary.empty(), false, local);
      AgentflowWorkers.register(factory, queue, config);
      factory.start();
    }

    @Override
    public String name() {
      return "agentflow AgentGraph";
    }

    @Override
    public String start(int toolRounds) {
      return start(toolRounds, new RunOptions("bench.yaml", null));
    }

    /** A run of {@code toolRounds} tool calls with these options (say, a low continue-as-new threshold). */
    String start(int toolRounds, RunOptions options) {
      String id = queue + "-" + runs.incrementAndGet();
      WorkflowStub run = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
      run.start(new RunRequest(TextNode.valueOf(graph(toolRounds + 1)), JSON.createObjectNode(), options));
      return id;
    }

    @Override
    public void await(String workflowId) {
      try {
        awaitOrTimeout(workflowId);
      } catch (TimeoutException e) {
        throw new IllegalStateException(workflowId + " did not finish within " + AWAIT, e);
      }
    }

    private void awaitOrTimeout(String workflowId) throws TimeoutException {
      client.newUntypedWorkflowStub(workflowId).getResult(AWAIT.toMinutes(), TimeUnit.MINUTES, RunResult.class);
    }

    private String graph(int maxIterations) {
      return """
          apiVersion: agentflow/v1
          name: bench-agent
          version: 1
          models:
            m: {provider: openai, model: bench, baseUrl: %s, apiKey: env:BENCH_KEY, timeout: 60s}
          start: agent
          nodes:
            agent: {kind: llm, model: m, system: "You are a benchmark agent.", prompt: "work", tools: [%s], maxIterations: %d, next: done}
            done: {kind: end, output: "nodes.agent.output"}
          """.formatted(baseUrl, AgentLoopModel.TOOL, maxIterations);
    }

    @Override
    public void close() {
      shutdown(factory);
    }
  }

  private static void shutdown(WorkerFactory factory) {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
  }
}
