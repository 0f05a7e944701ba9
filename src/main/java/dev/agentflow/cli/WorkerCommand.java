package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.OperatorServiceStubs;
import io.temporal.serviceclient.OperatorServiceStubsOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agentflow worker}: serves the interpreter and the activities against a real cluster until stopped. */
@Command(name = "worker", description = "Run the AgentGraph workflow and activity workers against a Temporal cluster.")
final class WorkerCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;

  @Mixin EngineOptions engine;

  @Option(names = "--task-queue", description = "workflow task queue (default: the config's taskQueue, else " + AgentGraphWorkflow.TASK_QUEUE + ")")
  String taskQueue;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (temporal.embedded()) {
      spec.commandLine().getErr().println("✘ worker needs --address HOST:PORT (e.g. localhost:7233)");
      return 2;
    }
    EngineConfig config = engine.config(null, spec.commandLine().getErr());
    AgentflowConfig settings = config.settings();
    String queue = taskQueue != null ? taskQueue : settings.taskQueue();
    WorkflowServiceStubs service = temporal.connect();
    if (!searchAttributesReady(service, out)) {
      service.shutdown();
      return 1;
    }
    McpServers mcp;
    try {
      mcp = McpServers.start(settings.mcp(), System::getenv, config.policy().egress());
    } catch (McpServers.McpStartupException e) {
      spec.commandLine().getErr().println("✘ " + e.getMessage());
      service.shutdown();
      return 1;
    }
    WorkflowClient client = temporal.client(service);
    WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
    AgentflowWorkers.register(factory, queue, config, mcp);
    factory.start();
    out.printf("worker polling task queue '%s' on %s (namespace %s), tools %s%n",
        queue, temporal.address, temporal.namespace, config.tools().names());
    settings.pools().forEach((pool, limits) -> out.printf("  pool %-10s queue %s  max %d in flight%s%n", pool,
        TaskQueues.llm(queue, pool), limits.maxConcurrent(),
        limits.ratePerSecond() > 0 ? ", " + limits.ratePerSecond() + "/s across the cluster" : ""));
    out.printf("  tools      queue %s  max %d in flight; workflow cache %d%n",
        TaskQueues.tools(queue), settings.tools().maxConcurrent(), settings.workflows().cacheSize());
    settings.mcp().forEach((server, mcpSettings) -> out.printf("  mcp %-10s queue %s  max %d in flight%n",
        server, TaskQueues.mcp(queue, server), mcpSettings.maxConcurrent()));
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      factory.shutdown();
      mcp.close();
      service.shutdown();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  /** Adds the search attributes runs upsert when the namespace lacks them; false (after saying why) when it cannot. */
  private boolean searchAttributesReady(WorkflowServiceStubs service, PrintWriter out) {
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(service.getOptions()).build());
    try {
      Map<String, IndexedValueType> added = SearchAttributeSetup.ensure(operator, temporal.namespace);
      if (!added.isEmpty()) {
        out.printf("added search attributes %s to namespace %s%n", String.join(", ", added.keySet()), temporal.namespace);
      }
      return true;
    } catch (SearchAttributeSetup.MissingSearchAttributesException e) {
      spec.commandLine().getErr().println("✘ " + e.getMessage());
      return false;
    } finally {
      operator.shutdown();
    }
  }
}
