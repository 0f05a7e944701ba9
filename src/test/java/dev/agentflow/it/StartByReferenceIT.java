package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.cli.AgentflowCommand;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.registry.AliasRoute;
import dev.agentflow.engine.registry.DirectoryRegistryIndex;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionMetadata;
import io.temporal.common.SearchAttributes;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
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
import picocli.CommandLine;

/**
 * Runs started by registry reference on the real dev server: each reference form from the stock
 * {@code temporal} CLI ({@code {"graph": …, "input": …}}), and from {@code agentflow start}; the
 * runs are then found with a visibility query on graph, version, sha256 and alias.
 */
class StartByReferenceIT {

  private static final Duration VISIBILITY_WAIT = Duration.ofSeconds(15);

  @TempDir Path tempDir;

  private String address;
  private String graph;
  private String queue;
  private GraphRegistry registry;
  private WorkflowServiceStubs service;
  private WorkflowClient client;
  private WorkerFactory factory;

  @BeforeEach
  void startWorker() {
    address = ItEnvironment.temporalAddress();
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    graph = "ref-it-" + suffix;
    queue = "ref-it-" + suffix;
    registry = new GraphRegistry(new DirectoryBlobStore(tempDir.resolve("blobs")),
        new DirectoryRegistryIndex(tempDir.resolve("registry")));
    for (int version = 1; version <= 2; version++) {
      registry.deploy(DefinitionLoader.withoutToolCheck().load("""
          apiVersion: agentflow/v1
          name: %s
          version: %d
          input: {type: object, required: [who], properties: {who: {type: string}}}
          start: done
          nodes:
            done: {kind: end, output: "({version: %d, who: input.who})"}
          """.formatted(graph, version, version), graph + ".yaml"));
    }
    registry.alias(graph, "prod", AliasRoute.single(2));
    service = WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    client = WorkflowClient.newInstance(service);
    AgentflowConfig settings = AgentflowConfig.defaults().withTaskQueue(queue);
    factory = AgentflowWorkers.newFactory(client, settings);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(), new DirectoryBlobStore(tempDir.resolve("blobs")),
        new SecretResolver(Map.of()), ScriptLibrary.empty(), true, settings).withRegistry(registry);
    AgentflowWorkers.register(factory, queue, config);
    factory.start();
  }

  @AfterEach
  void stopWorker() throws InterruptedException {
    if (factory != null) {
      factory.shutdownNow();
      factory.awaitTermination(10, TimeUnit.SECONDS);
    }
    if (service != null) {
      service.shutdownNow();
    }
  }

  @Test
  void should_start_each_reference_form_from_the_stock_temporal_cli_and_find_the_runs_by_version() throws Exception {
    Map<String, Integer> expected = Map.of("@prod", 2, ":1", 1, "", 2);
    for (Map.Entry<String, Integer> form : expected.entrySet()) {
      String id = queue + "-cli" + form.getKey().replace("@", "-alias").replace(":", "-version");
      temporal("workflow", "start", "--type", "AgentGraph", "--task-queue", queue, "--workflow-id", id,
          "--input", "{\"graph\": \"" + graph + form.getKey() + "\", \"input\": {\"who\": \"ada\"}}");

      RunResult result = client.newUntypedWorkflowStub(id).getResult(1, TimeUnit.MINUTES, RunResult.class);

      assertThat(result.output().path("version").asInt()).as(form.getKey()).isEqualTo(form.getValue());
    }

    List<WorkflowExecutionMetadata> onV2 = listWhenVisible(
        "AgentflowGraph = '" + graph + "' AND AgentflowGraphVersion = 2", 2);
    assertThat(onV2).extracting(run -> run.getExecution().getWorkflowId())
        .containsExactlyInAnyOrder(queue + "-cli-aliasprod", queue + "-cli");
    List<WorkflowExecutionMetadata> viaAlias = listWhenVisible(
        "AgentflowGraphAlias = 'prod' AND AgentflowGraphSha = '" + registry.version(graph, 2).sha256() + "'", 1);
    assertThat(viaAlias).extracting(run -> run.getExecution().getWorkflowId()).containsExactly(queue + "-cli-aliasprod");
    SearchAttributes attributes = viaAlias.get(0).getTypedSearchAttributes();
    assertThat(attributes.get(RunSearchAttributes.GRAPH)).isEqualTo(graph);
    String listed = temporal("workflow", "list", "--query", "AgentflowGraph='" + graph + "' AND AgentflowGraphVersion=1");
    assertThat(listed).contains(queue + "-cli-version1").doesNotContain(queue + "-cli-aliasprod");
  }

  @Test
  void should_print_the_workflow_id_of_a_run_that_agentflow_start_began_by_alias() throws Exception {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    int code = commandLine.execute("start", graph + "@prod", "--input", "{\"who\": \"grace\"}", "--address", address,
        "--task-queue", queue, "--workflow-id", queue + "-start");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo(queue + "-start\n");
    RunResult result = client.newUntypedWorkflowStub(queue + "-start").getResult(1, TimeUnit.MINUTES, RunResult.class);
    assertThat(result.output().path("version").asInt()).isEqualTo(2);
    assertThat(result.output().path("who").asText()).isEqualTo("grace");
  }

  @Test
  void should_replay_the_runs_a_visibility_query_lists_with_agentflow_replay() throws Exception {
    temporal("workflow", "start", "--type", "AgentGraph", "--task-queue", queue, "--workflow-id", queue + "-replayed",
        "--input", "{\"graph\": \"" + graph + "@prod\", \"input\": {\"who\": \"ada\"}}");
    client.newUntypedWorkflowStub(queue + "-replayed").getResult(1, TimeUnit.MINUTES, RunResult.class);
    listWhenVisible("AgentflowGraph = '" + graph + "'", 1);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    int code = commandLine.execute("replay", "--query", "AgentflowGraph = '" + graph + "'", "--address", address);

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("✓ 1 run(s) replay on this build\n");
  }

  private String temporal(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ItEnvironment.temporalBinary().toString());
    command.addAll(List.of(args));
    command.addAll(List.of("--address", address));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(process.exitValue()).as(output).isZero();
    return output;
  }

  private List<WorkflowExecutionMetadata> listWhenVisible(String query, int count) throws InterruptedException {
    long deadline = System.nanoTime() + VISIBILITY_WAIT.toNanos();
    List<WorkflowExecutionMetadata> found = client.listExecutions(query).toList();
    while (found.size() < count && System.nanoTime() < deadline) {
      Thread.sleep(200);
      found = client.listExecutions(query).toList();
    }
    return found;
  }
}
