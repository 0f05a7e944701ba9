package dev.agentflow.it;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import com.uber.m3.tally.ScopeCloseException;
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
  private final Scope metrics;
  private final CountingStatsReporter reporter;

  private InProcessWorkers(
      WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory, Scope metrics, CountingStatsReporter reporter) {
    this.service = service;
    this.client = client;
    this.factory = factory;
    this.metrics = metrics;
    this.reporter = reporter;
  }

  /** Starts workers on {@code queue} with the engine config {@code configYaml}, the given store and extra tools. */
  static InProcessWorkers start(String address, String queue, String configYaml, BlobStore blobs, List<Tool> extraTools) {
    // the model stubs are on 127.0.0.1: allow it and grant the stub key, as a worker config would
    AgentflowConfig settings = ConfigLoader.fromYaml(configYaml, queue + ".yaml", Map.of()).withTaskQueue(queue)
        .withEgress(TestModels.stubSettings().egress()).withSecrets(TestModels.stubSettings().secrets());
    CountingStatsReporter reporter = new CountingStatsReporter();
    Scope metrics = new RootScopeBuilder().reporter(reporter).reportEvery(com.uber.m3.util.Duration.ofMillis(200));
    WorkflowServiceStubs service = WorkflowServiceStubs.newServiceStubs(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).setMetricsScope(metrics).build());
    WorkflowClient client = WorkflowClient.newInstance(service);
    WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath().with(extraTools), blobs,
        TestModels.secrets(), ScriptLibrary.empty(), false, settings);
    AgentflowWorkers.register(factory, queue, config);
    factory.start();
    return new InProcessWorkers(service, client, factory, metrics, reporter);
  }

  WorkflowClient client() {
    return client;
  }

  /** The SDK's counter of that name, summed over tags: complete once closed (reported every 200 ms before). */
  long counter(String name) {
    return reporter.counter(name);
  }

  @Override
  public void close() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    service.shutdownNow();
    try {
      metrics.close();
    } catch (ScopeCloseException e) {
      throw new IllegalStateException("could not close the metrics scope", e);
    }
  }
}
