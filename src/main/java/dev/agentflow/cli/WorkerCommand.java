package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.WorkerVersioning;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunSearchAttributes;
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
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow worker}: serves the interpreter and the activities against a real cluster until
 * stopped. It starts on any server: where the namespace lacks the search attributes runs upsert and
 * they cannot be added, it says so and serves runs that do not upsert them.
 */
@Command(name = "worker", mixinStandardHelpOptions = true,
    description = "Run the AgentGraph workflow and activity workers against a Temporal cluster.")
final class WorkerCommand implements Callable<Integer> {

  @Mixin TemporalOptions temporal;

  @Mixin EngineOptions engine;

  @Option(names = "--task-queue", description = "workflow task queue (default: the config's taskQueue, else " + AgentGraphWorkflow.TASK_QUEUE + ")")
  String taskQueue;

  @Option(names = "--versioning",
      description = "join a Worker Deployment Version (Worker Versioning): runs are PINNED to the build they start on;"
          + " the version gets new runs once it is current (temporal worker deployment set-current-version)")
  boolean versioning;

  @Option(names = "--deployment-name", paramLabel = "NAME",
      description = "Worker Deployment of --versioning (default: " + WorkerVersioning.DEFAULT_DEPLOYMENT + ")")
  String deploymentName;

  @Option(names = "--build-id", paramLabel = "ID",
      description = "build id of --versioning (default: $AGENTFLOW_BUILD_ID, else <version>+<commit> of this build)")
  String buildId;

  @Spec CommandSpec spec;

  /** A started worker; closing it stops polling and disconnects. */
  record Running(WorkerFactory factory, McpServers mcp, WorkflowServiceStubs service) implements AutoCloseable {
    @Override
    public void close() {
      factory.shutdown();
      mcp.close();
      service.shutdown();
    }
  }

  @Override
  public Integer call() throws Exception {
    Running running = start(spec.commandLine().getOut(), spec.commandLine().getErr());
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      running.close();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }

  /** Checks the command line, connects, settles the search attributes and starts polling. */
  Running start(PrintWriter out, PrintWriter err) {
    if (temporal.embedded()) {
      throw CliException.usage("worker needs --address HOST:PORT (e.g. localhost:7233)");
    }
    if (taskQueue != null && taskQueue.isBlank()) {
      throw CliException.usage("--task-queue is empty");
    }
    temporal.check();
    engine.check();
    WorkerVersioning version = versioning();
    EngineConfig config = engine.config(null, err).withVersioning(version);
    AgentflowConfig settings = config.settings();
    String queue = taskQueue != null ? taskQueue : settings.taskQueue();
    WorkflowServiceStubs service = temporal.connect();
    try {
      settings = settleSearchAttributes(service, settings, out);
      McpServers mcp;
      try {
        mcp = McpServers.start(settings.mcp(), System::getenv, config.policy().egress());
      } catch (McpServers.McpStartupException e) {
        throw CliException.failed(e.getMessage());
      }
      WorkflowClient client = temporal.client(service);
      WorkerFactory factory = AgentflowWorkers.newFactory(client, settings);
      AgentflowWorkers.register(factory, queue, config.withSettings(settings), mcp);
      factory.start();
      printStarted(out, config, settings, queue);
      return new Running(factory, mcp, service);
    } catch (RuntimeException e) {
      service.shutdown();
      throw e;
    }
  }

  /** The Worker Deployment Version of {@code --versioning}, or null for an unversioned worker. */
  private WorkerVersioning versioning() {
    if (!versioning && deploymentName == null && buildId == null) {
      return null;
    }
    if (!versioning) {
      throw CliException.usage((deploymentName != null ? "--deployment-name" : "--build-id") + " needs --versioning");
    }
    String environmentBuild = System.getenv("AGENTFLOW_BUILD_ID");
    String build = buildId != null ? buildId
        : environmentBuild != null && !environmentBuild.isBlank() ? environmentBuild : WorkerVersioning.thisBuild();
    try {
      return new WorkerVersioning(deploymentName != null ? deploymentName : WorkerVersioning.DEFAULT_DEPLOYMENT, build);
    } catch (IllegalArgumentException e) {
      throw CliException.usage("--versioning: " + e.getMessage());
    }
  }

  /**
   * With {@code searchAttributes: auto}, adds what the namespace lacks; when the server cannot,
   * says which attributes runs will not set and why, and turns them off for this worker.
   */
  private AgentflowConfig settleSearchAttributes(WorkflowServiceStubs service, AgentflowConfig settings, PrintWriter out) {
    if (!settings.searchAttributesOn()) {
      out.printf("· search attributes off (searchAttributes: off): runs will not set %s%n",
          String.join(", ", RunSearchAttributes.definitions().keySet()));
      return settings;
    }
    OperatorServiceStubs operator =
        OperatorServiceStubs.newServiceStubs(OperatorServiceStubsOptions.newBuilder(service.getOptions()).build());
    try {
      Map<String, IndexedValueType> added = SearchAttributeSetup.ensure(operator, temporal.namespace);
      if (!added.isEmpty()) {
        out.printf("added search attributes %s to namespace %s%n", String.join(", ", added.keySet()), temporal.namespace);
      }
      return settings;
    } catch (SearchAttributeSetup.MissingSearchAttributesException e) {
      out.println("· " + e.getMessage());
      return settings.withSearchAttributes(AgentflowConfig.SEARCH_ATTRIBUTES_OFF);
    } finally {
      operator.shutdown();
    }
  }

  private void printStarted(PrintWriter out, EngineConfig config, AgentflowConfig settings, String queue) {
    out.printf("worker polling task queue '%s' on %s (namespace %s), tools %s%n",
        queue, temporal.address, temporal.namespace, config.tools().names());
    settings.pools().forEach((pool, limits) -> out.printf("  pool %-10s queue %s  max %d in flight%s%n", pool,
        TaskQueues.llm(queue, pool), limits.maxConcurrent(),
        limits.ratePerSecond() > 0 ? ", " + limits.ratePerSecond() + "/s across the cluster" : ""));
    settings.mcp().forEach((server, mcpSettings) -> out.printf("  mcp %-10s queue %s  max %d in flight%n",
        server, TaskQueues.mcp(queue, server), mcpSettings.maxConcurrent()));
    out.printf("  tools      queue %s  max %d in flight; workflow cache %d%n",
        TaskQueues.tools(queue), settings.tools().maxConcurrent(), settings.workflows().cacheSize());
    if (config.versioning() != null) {
      WorkerVersioning version = config.versioning();
      out.printf("  versioning: deployment %s, build %s (runs PINNED); new runs come once it is current:%n"
              + "    temporal worker deployment set-current-version --deployment-name %s --build-id %s --address %s%n",
          version.deploymentName(), version.buildId(), version.deploymentName(), version.buildId(), temporal.address);
    }
    out.flush();
  }
}
