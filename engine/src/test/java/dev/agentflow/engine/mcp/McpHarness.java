package dev.agentflow.engine.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A worker with real MCP servers on Temporal's in-memory test server (wall-clock time: MCP calls
 * take real time), models answering from an offline script.
 */
final class McpHarness implements AutoCloseable {

  static final ObjectMapper JSON = new ObjectMapper();

  private final TestWorkflowEnvironment environment;
  private final DirectoryBlobStore blobs;
  private final McpServers servers;

  McpHarness(Path tempDir, String offlineScriptYaml, Map<String, McpServerConfig> mcp, Map<String, String> environmentVariables) {
    this.environment = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    this.blobs = new DirectoryBlobStore(tempDir.resolve("blobs"));
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(), blobs, new SecretResolver(environmentVariables),
        script(tempDir, offlineScriptYaml), true, AgentflowConfig.defaults().withMcp(mcp));
    this.servers = McpServers.start(mcp, environmentVariables::get, config.policy().egress());
    AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config, servers);
    environment.start();
  }

  private static ScriptLibrary script(Path tempDir, String yaml) {
    if (yaml == null) {
      return ScriptLibrary.empty();
    }
    try {
      Path file = Files.createTempFile(tempDir, "script", ".offline.yaml");
      Files.writeString(file, yaml);
      return ScriptLibrary.loadFile(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  McpServers servers() {
    return servers;
  }

  DirectoryBlobStore blobs() {
    return blobs;
  }

  WorkflowClient client() {
    return environment.getWorkflowClient();
  }

  WorkflowStub start(String definitionYaml, String inputJson, String workflowId) {
    WorkflowStub stub = client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(new RunRequest(TextNode.valueOf(definitionYaml), json(inputJson), new RunOptions("test.yaml", null)));
    return stub;
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
    servers.close();
  }
}
