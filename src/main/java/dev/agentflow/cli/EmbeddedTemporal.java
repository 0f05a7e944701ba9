package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import io.temporal.client.WorkflowClient;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;

/**
 * Temporal's in-process test server with an agentflow worker, for {@code agentflow run} with no
 * address: durable semantics and real activities, nothing to install. Time runs at wall-clock speed
 * (no time skipping), like a real server.
 */
final class EmbeddedTemporal implements AutoCloseable {

  private final TestWorkflowEnvironment environment;
  private final McpServers mcp;

  private EmbeddedTemporal(TestWorkflowEnvironment environment, McpServers mcp) {
    this.environment = environment;
    this.mcp = mcp;
  }

  /** @throws McpServers.McpStartupException when an MCP server of the config cannot start */
  static EmbeddedTemporal start(EngineConfig config, String taskQueue) {
    McpServers mcp = McpServers.start(config.settings().mcp(), config.secrets()::setting, config.policy().egress());
    TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    AgentflowWorkers.register(environment.getWorkerFactory(), taskQueue, config, mcp);
    environment.start();
    return new EmbeddedTemporal(environment, mcp);
  }

  WorkflowClient client() {
    return environment.getWorkflowClient();
  }

  @Override
  public void close() {
    environment.close();
    mcp.close();
  }
}
