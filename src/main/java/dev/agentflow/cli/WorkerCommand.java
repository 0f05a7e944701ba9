package dev.agentflow.cli;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.worker.WorkerFactory;
import java.io.PrintWriter;
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

  @Option(names = "--task-queue", defaultValue = AgentGraphWorkflow.TASK_QUEUE, description = "task queue (default: ${DEFAULT-VALUE})")
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
    WorkflowServiceStubs service = temporal.connect();
    WorkflowClient client = temporal.client(service);
    WorkerFactory factory = WorkerFactory.newInstance(client);
    AgentflowWorkers.register(factory, taskQueue, config);
    factory.start();
    out.printf("worker polling task queue '%s' on %s (namespace %s), tools %s%n",
        taskQueue, temporal.address, temporal.namespace, config.tools().names());
    out.flush();
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      factory.shutdown();
      service.shutdown();
      stopped.countDown();
    }));
    stopped.await();
    return 0;
  }
}
