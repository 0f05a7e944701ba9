package dev.agentflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.Runs;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import dev.agentflow.engine.testing.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every definition in {@code definitions/} validates, runs offline with its script and input, gives
 * its expected output, and its history replays without non-determinism. With
 * {@code -Dagentflow.recordHistories=true -Dagentflow.recordHistoriesSuffix=.<change>} the histories
 * are added as {@code src/test/resources/histories/<example>.<change>.json}, and their sha256 to the
 * {@code SHA256SUMS} manifest there, for {@link RecordedHistoryReplayTest}. The corpus is
 * append-only: recording fails rather than overwrite a file.
 *
 * <p>An example whose worker config ({@code config/<example>.agentflow.yaml}) has MCP servers runs
 * against the real servers: {@link ExampleMcpServers} starts them from the npm packages {@code
 * .ci/run} installs ({@code AGENTFLOW_IT_MCP_*}), and the example is skipped, saying so, on a machine
 * without them. Its recorded history replays everywhere.
 */
class ExampleDefinitionsTest {

  static final Path DEFINITIONS = Path.of(".").toAbsolutePath().normalize();
  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @TempDir Path tempDir;

  static Stream<Path> definitionFiles() throws IOException {
    return Files.list(DEFINITIONS)
        .filter(f -> f.getFileName().toString().endsWith(".yaml"))
        .filter(f -> !f.getFileName().toString().endsWith(".offline.yaml"))
        .sorted();
  }

  @TestFactory
  Stream<DynamicTest> every_example_validates_runs_offline_and_replays() throws IOException {
    return definitionFiles().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> runExample(file)));
  }

  /**
   * Sends the events of {@code <name>.signals.json} ({@code [{event, payload}, …]}) as signals right
   * after the start: a wait node consumes a signal that arrived before it was reached.
   */
  private static void sendSignals(WorkflowStub stub, Path signals) throws IOException {
    if (!Files.exists(signals)) {
      return;
    }
    for (JsonNode signal : JSON.readTree(Files.readString(signals))) {
      stub.signal(signal.get("event").asText(), signal.get("payload"));
    }
  }

  private static void record(String name, WorkflowExecutionHistory history) throws Exception {
    Path corpus = DEFINITIONS.resolve("src/test/resources/histories");
    Path target = corpus.resolve(name);
    if (Files.exists(target)) {
      throw new IllegalStateException(target + " is recorded already; recorded histories are never re-recorded"
          + " (pass -Dagentflow.recordHistoriesSuffix=.<change> to add new ones)");
    }
    byte[] json = history.toJson(true).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    Files.write(target, json, java.nio.file.StandardOpenOption.CREATE_NEW);
    String sha256 = java.util.HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest(json));
    Files.writeString(corpus.resolve("SHA256SUMS"), sha256 + "  " + name + "\n", java.nio.file.StandardOpenOption.APPEND);
  }

  private void runExample(Path file) throws Exception {
    String base = file.getFileName().toString().replaceFirst("\\.yaml$", "");
    ToolRegistry tools = ToolRegistry.loadFromClasspath();
    String text = Files.readString(file);
    LoadedDefinition loaded = new DefinitionLoader(tools.names()).load(file);
    JsonNode input = JSON.readTree(Files.readString(DEFINITIONS.resolve(base + ".input.json")));
    assertThat(InputValidator.forGraph(loaded.graph()).validate(input)).isEmpty();

    EngineConfig config =
        new EngineConfig(
            tools,
            new DirectoryBlobStore(tempDir.resolve("blobs")),
            new SecretResolver(Map.of()),
            ScriptLibrary.loadFile(DEFINITIONS.resolve(base + ".offline.yaml")),
            true).withSettings(ExampleMcpServers.settingsFor(DEFINITIONS, base));
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance();
        McpServers mcp = McpServers.start(config.settings().mcp(), System::getenv, config.policy().egress())) {
      RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
      AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config, mcp);
      environment.start();
      String workflowId = "example-" + base;
      WorkflowStub stub = Runs.newStub(environment.getWorkflowClient(), loaded, workflowId, AgentGraphWorkflow.TASK_QUEUE);
      stub.start(new RunRequest(JSON.readTree(loaded.canonicalJson()), input, new RunOptions("definitions/" + file.getFileName(), null)));
      sendSignals(stub, DEFINITIONS.resolve(base + ".signals.json"));
      RunResult result = stub.getResult(RunResult.class);

      JsonNode expected = JSON.readTree(Files.readString(DEFINITIONS.resolve(base + ".expected.json")));
      assertThat(result.output()).as("output of " + base).isEqualTo(expected);

      WorkflowExecutionHistory history = environment.getWorkflowClient().fetchHistory(workflowId);
      Replay.check(history);
      if (Boolean.getBoolean("agentflow.recordHistories")) {
        record(base + System.getProperty("agentflow.recordHistoriesSuffix", "") + ".json", history);
      }
    }
  }
}
