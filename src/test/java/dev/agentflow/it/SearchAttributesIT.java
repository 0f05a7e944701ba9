package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run is findable with a visibility query on the real server: after a two-node graph (offline
 * model with a known usage and price), {@code AgentflowGraph = '<name>' AND AgentflowTokens > 0}
 * lists it with the graph's version, its end node, its tokens and its cost.
 */
class SearchAttributesIT {

  private static final Duration VISIBILITY_WAIT = Duration.ofSeconds(15);

  @TempDir Path tempDir;

  @Test
  void should_find_a_finished_run_by_graph_name_and_tokens_in_a_visibility_query() throws Exception {
    String address = ItEnvironment.temporalAddress();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    String graph = "search-it-" + suffix;
    String queue = "search-attributes-it-" + suffix;
    Path script = tempDir.resolve("search-it.offline.yaml");
    Files.writeString(script, """
        replies:
          ask:
            - content: "answer"
              usage: {input: 100, output: 50}
        """);

    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    AgentflowConfig settings = AgentflowConfig.defaults().withTaskQueue(queue);
    WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
    try {
      EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(),
          new DirectoryBlobStore(tempDir.resolve("blobs")), new SecretResolver(Map.of()),
          ScriptLibrary.loadFile(script), true, settings);
      AgentflowWorkers.register(factory, queue, config);
      factory.start();

      String workflowId = queue + "-run";
      WorkflowStub run = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(queue).build());
      run.start(new RunRequest(TextNode.valueOf(definition(graph)), new ObjectMapper().createObjectNode(),
          new RunOptions("search-it.yaml", null)));
      RunResult result = run.getResult(1, TimeUnit.MINUTES, RunResult.class);

      List<WorkflowExecutionMetadata> found =
          listWhenVisible(client, "AgentflowGraph = '" + graph + "' AND AgentflowTokens > 0");

      assertThat(found).extracting(execution -> execution.getExecution().getWorkflowId()).containsExactly(workflowId);
      SearchAttributes attributes = found.get(0).getTypedSearchAttributes();
      assertThat(attributes.get(RunSearchAttributes.GRAPH)).isEqualTo(graph);
      assertThat(attributes.get(RunSearchAttributes.GRAPH_VERSION)).isEqualTo(4L);
      assertThat(attributes.get(RunSearchAttributes.NODE)).isEqualTo("done");
      assertThat(attributes.get(RunSearchAttributes.TOKENS)).isEqualTo(150L).isEqualTo(result.usage().total().total());
      // (100 * 2.0 + 50 * 8.0) / 1e6
      assertThat(attributes.get(RunSearchAttributes.COST_USD)).isCloseTo(0.0006, within(1e-12));
    } finally {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
      service.shutdownNow();
    }
  }

  /** Visibility is eventually consistent: polls the query until it lists something or the wait is over. */
  private static List<WorkflowExecutionMetadata> listWhenVisible(WorkflowClient client, String query)
      throws InterruptedException {
    long deadline = System.nanoTime() + VISIBILITY_WAIT.toNanos();
    List<WorkflowExecutionMetadata> found = client.listExecutions(query).toList();
    while (found.isEmpty() && System.nanoTime() < deadline) {
      Thread.sleep(200);
      found = client.listExecutions(query).toList();
    }
    return found;
  }

  private static String definition(String name) {
    return """
        apiVersion: agentflow/v1
        name: %s
        version: 4
        models:
          m: {provider: offline, model: scripted}
        pricing:
          m: {input: 2.0, output: 8.0}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end, output: "nodes.ask.output"}
        """.formatted(name);
  }
}
