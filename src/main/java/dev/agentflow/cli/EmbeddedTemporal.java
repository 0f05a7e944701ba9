package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
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

  private EmbeddedTemporal(TestWorkflowEnvironment environment) {
    this.environment = environment;
  }

  static EmbeddedTemporal start(EngineConfig config, String taskQueue) {
    TestWorkflowEnvironment environment =
        TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    AgentflowWorkers.register(environment.getWorkerFactory(), taskQueue, config);
    environment.start();
    return new EmbeddedTemporal(environment);
  }

  WorkflowClient client() {
    return environment.getWorkflowClient();
  }

  @Override
  public void close() {
    environment.close();
  }
}
