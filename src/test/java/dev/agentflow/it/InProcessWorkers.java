package dev.agentflow.it;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * agentflow's workers in the test's own JVM, connected to the dev server: the workflow, pool and
 * tool workers of one task queue, with the engine config and blob store a test chooses.
 */
final class InProcessWorkers implements AutoCloseable {

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  private InProcessWorkers(WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory) {
    this.service = service;
    this.client = client;
    this.factory = factory;
  }

  /** Starts workers on {@code queue} with the engine config {@code configYaml}, the given store and extra tools. */
  static InProcessWorkers start(String address, String queue, String configYaml, BlobStore blobs, List<Tool> extraTools) {
    AgentflowConfig settings = ConfigLoader.fromYaml(configYaml, queue + ".yaml", Map.of()).withTaskQueue(queue);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath().with(extraTools), blobs,
        TestModels.secrets(), ScriptLibrary.empty(), false, settings);
    AgentflowWorkers.register(factory, queue, config);
    factory.start();
    return new InProcessWorkers(service, client, factory);
  }

  WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    service.shutdownNow();
  }
}
