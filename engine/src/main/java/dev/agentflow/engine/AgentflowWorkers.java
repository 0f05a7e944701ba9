package dev.agentflow.engine;

import dev.agentflow.engine.expr.ExpressionSandbox;
import dev.agentflow.engine.llm.LlmActivitiesImpl;
import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.tool.ToolActivitiesImpl;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.Warmup;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;

/**
 * Registers the interpreter workflow and the generic activities on a task queue. Also warms the
 * JavaScript engine and the definition loader first, so the first workflow task of a cold JVM does
 * not come near Temporal's one-second deadlock detector.
 */
public final class AgentflowWorkers {

  private AgentflowWorkers() {}

  public static Worker register(WorkerFactory factory, String taskQueue, EngineConfig config) {
    ExpressionSandbox.warmUp();
    Warmup.run();
    Worker worker = factory.newWorker(taskQueue);
    worker.registerWorkflowImplementationTypes(AgentGraphWorkflowImpl.class);
    worker.registerActivitiesImplementations(
        new LlmActivitiesImpl(config.blobs(), providers(config), config.tools()),
        new ToolActivitiesImpl(
            config.tools(), config.blobs(), config.secrets(), ToolActivitiesImpl.DEFAULT_INLINE_LIMIT_BYTES));
    return worker;
  }

  static ProviderRegistry providers(EngineConfig config) {
    ProviderRegistry registry = ProviderRegistry.standard(config.secrets(), config.offlineScripts());
    return config.forceOffline() ? registry.forcingOffline() : registry;
  }
}
