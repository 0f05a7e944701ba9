package dev.agentflow.engine;

import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.PoolConfig;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.llm.LlmActivitiesImpl;
import dev.agentflow.engine.llm.SignallingCapacityWaitReporter;
import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.llm.admission.AdmissionStore;
import dev.agentflow.engine.llm.admission.InMemoryAdmissionStore;
import dev.agentflow.engine.llm.admission.PoolAdmission;
import dev.agentflow.engine.llm.admission.PostgresAdmissionStore;
import dev.agentflow.engine.llm.admission.RateLimits;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.mcp.McpToolActivitiesImpl;
import dev.agentflow.engine.policy.PolicyActivitiesImpl;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.registry.RegistryActivitiesImpl;
import dev.agentflow.engine.tool.ToolActivitiesImpl;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.Warmup;
import io.temporal.client.WorkflowClient;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Clock;
import java.util.Map;
import java.util.TreeMap;

/**
 * Registers the interpreter workflow on its task queue and the generic activities on theirs: one
 * worker per LLM pool ({@code <queue>-llm-<pool>}, LLM activities only, with the pool's slot limit
 * and server-side rate limit) and one for tools ({@code <queue>-tools}). Every process serves every
 * queue, so one {@code agentflow worker} is a whole deployment, and more processes add capacity.
 * One {@link WorkerPolicy} (secret grants, egress policy and HTTP client) serves the tool and LLM
 * activities and the start-of-run policy check (a local activity on the workflow worker).
 * Each MCP server of the config gets its own queue ({@code <queue>-mcp-<server>}) whose slots are the
 * server's concurrency limit; its tool lists are recorded through the tool queue.
 * With {@link EngineConfig#versioning()} every one of these workers joins that Worker Deployment
 * Version, and runs are PINNED to it ({@link WorkerVersioning}).
 * Runs started by reference resolve it with the {@code ResolveGraph} activity on the workflow queue,
 * against the config's graph registry.
 * Also warms the JavaScript engine and the definition loader first, so the first workflow task of a
 * cold JVM does not come near Temporal's one-second deadlock detector.
 */
public final class AgentflowWorkers {

  private AgentflowWorkers() {}

  /**
   * Registers the workflow worker on {@code taskQueue} and the pool and tool workers on the queues
   * named after it, starting the config's MCP servers (stopped by a JVM shutdown hook; use the
   * overload that takes {@link McpServers} to stop them earlier).
   *
   * @return the workflow worker
   * @throws McpServers.McpStartupException when an MCP server cannot start
   */
  public static Worker register(WorkerFactory factory, String taskQueue, EngineConfig config) {
    WorkerPolicy policy = config.policy();
    McpServers mcp = McpServers.start(config.settings().mcp(), config.secrets()::setting, policy.egress());
    return register(factory, taskQueue, config, policy, mcp);
  }

  /**
   * As {@link #register(WorkerFactory, String, EngineConfig)}, with MCP servers the caller started
   * ({@link McpServers#start}) and closes when the worker stops.
   */
  public static Worker register(WorkerFactory factory, String taskQueue, EngineConfig config, McpServers mcp) {
    return register(factory, taskQueue, config, config.policy(), mcp);
  }

  private static Worker register(
      WorkerFactory factory, String taskQueue, EngineConfig config, WorkerPolicy policy, McpServers mcp) {
    Warmup.run();
    AgentflowConfig settings = config.settings();
    Worker worker =
        factory.newWorker(
            taskQueue,
            versioned(WorkerOptions.newBuilder()
                .setMaxConcurrentWorkflowTaskExecutionSize(settings.workflows().maxConcurrentTasks()), config)
                .build());
    boolean searchAttributes = settings.searchAttributesOn();
    worker.registerWorkflowImplementationFactory(AgentGraphWorkflow.class,
        () -> new AgentGraphWorkflowImpl(searchAttributes));
    worker.registerActivitiesImplementations(
        new PolicyActivitiesImpl(policy, !config.forceOffline()), new RegistryActivitiesImpl(config.registry()));

    LlmActivitiesImpl llm = new LlmActivitiesImpl(config.blobs(), providers(config, policy), config.tools(),
        LlmActivitiesImpl.prices(settings.pricing()), admission(config),
        new SignallingCapacityWaitReporter(factory.getWorkflowClient()));
    for (Map.Entry<String, PoolConfig> pool : settings.pools().entrySet()) {
      WorkerOptions.Builder options =
          WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(pool.getValue().maxConcurrent());
      if (pool.getValue().ratePerSecond() > 0) {
        options.setMaxTaskQueueActivitiesPerSecond(pool.getValue().ratePerSecond());
      }
      factory.newWorker(TaskQueues.llm(taskQueue, pool.getKey()), versioned(options, config).build())
          .registerActivitiesImplementations(llm);
    }
    McpToolActivitiesImpl mcpActivities =
        new McpToolActivitiesImpl(mcp, config.blobs(), policy, ToolActivitiesImpl.DEFAULT_INLINE_LIMIT_BYTES);
    factory
        .newWorker(
            TaskQueues.tools(taskQueue),
            versioned(WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(settings.tools().maxConcurrent()), config)
                .build())
        .registerActivitiesImplementations(
            new ToolActivitiesImpl(
                config.tools(), config.blobs(), config.secrets(), policy, ToolActivitiesImpl.DEFAULT_INLINE_LIMIT_BYTES),
            mcpActivities);
    for (String server : mcp.names()) {
      int slots = mcp.find(server).orElseThrow().config().maxConcurrent();
      factory.newWorker(TaskQueues.mcp(taskQueue, server),
              versioned(WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(slots), config).build())
          .registerActivitiesImplementations(mcpActivities);
    }
    return worker;
  }

  /** Every worker of the process in the config's Worker Deployment Version, when it has one. */
  private static WorkerOptions.Builder versioned(WorkerOptions.Builder options, EngineConfig config) {
    return config.versioning() == null ? options : options.setDeploymentOptions(config.versioning().options());
  }

  /**
   * A worker factory sized by the settings: a workflow cache and workflow threads that hold every
   * run in progress, virtual workflow threads when the JVM has them and the settings allow, and
   * payloads converted on the shared JSON buffer pool ({@link PayloadJson}), and the per-thread
   * JSON buffers of what agentflow cannot configure dropped regularly ({@link ThreadJsonBuffers}).
   */
  public static WorkerFactory newFactory(WorkflowClient client, AgentflowConfig settings) {
    ThreadJsonBuffers.startReleasing();
    return WorkerFactory.newInstance(PayloadJson.onSharedPool(client), factoryOptions(settings));
  }

  /** The factory options {@link #newFactory} uses (for test environments that take options). */
  public static WorkerFactoryOptions factoryOptions(AgentflowConfig settings) {
    return WorkerFactoryOptions.newBuilder()
        .setWorkflowCacheSize(settings.workflows().cacheSize())
        .setMaxWorkflowThreadCount(settings.workflows().maxThreads())
        .setUsingVirtualWorkflowThreads(settings.workflows().useVirtualThreads(Runtime.version().feature()))
        .build();
  }

  /**
   * The pools' per-minute limits, kept where every worker of the deployment sees them: in the
   * PostgreSQL database of the blob store when there is one, otherwise in this process.
   */
  static PoolAdmission admission(EngineConfig config) {
    Map<String, RateLimits> limits = new TreeMap<>();
    config.settings().pools().forEach((name, pool) -> {
      if (pool.admitsByMinute()) {
        limits.put(name, new RateLimits(pool.maxTokensPerMinute(), pool.maxRequestsPerMinute()));
      }
    });
    AdmissionStore store = config.blobs() instanceof PostgresBlobStore postgres
        ? new PostgresAdmissionStore(postgres.database().dataSource())
        : new InMemoryAdmissionStore(Clock.systemUTC());
    return new PoolAdmission(store, limits, duration -> Thread.sleep(duration.toMillis()));
  }

  static ProviderRegistry providers(EngineConfig config, WorkerPolicy policy) {
    ProviderRegistry registry = ProviderRegistry.standard(config.secrets(), policy, config.offlineScripts());
    return config.forceOffline() ? registry.forcingOffline() : registry;
  }
}
