package dev.agentflow.bench;

import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.ThreadJsonBuffers;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.WorkerFactory;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * The worker {@link ParkedRuns} measures, in a JVM of its own so its memory and threads are only
 * the worker's: one agentflow worker (workflows, pools, tools) with models answered offline.
 *
 * <pre>
 * java -cp agentflow-bench.jar dev.agentflow.bench.ParkedWorker ADDRESS QUEUE CACHE_SIZE OFFLINE_SCRIPT
 * </pre>
 */
public final class ParkedWorker {

  /** Printed once the worker polls. */
  static final String READY = "parked-worker ready";

  /** A line on standard input asking for a full collection and the heap in use after it. */
  static final String MEASURE = "measure";

  /** The answer's prefix, then bytes of heap in use. */
  static final String HEAP = "heap-used";

  private ParkedWorker() {}

  public static void main(String[] args) throws Exception {
    ThreadJsonBuffers.track();
    String address = args[0];
    String queue = args[1];
    int cacheSize = Integer.parseInt(args[2]);
    Path script = Path.of(args[3]);
    AgentflowConfig settings = ConfigLoader.fromYaml("""
        workflows: {maxConcurrentTasks: 50, cacheSize: %d, maxThreads: %d}
        """.formatted(cacheSize, 2 * cacheSize + 200), "parked-worker", System.getenv()).withTaskQueue(queue);
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    WorkerFactory factory = AgentflowWorkers.newFactory(WorkflowClient.newInstance(service), settings);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(),
        new DirectoryBlobStore(Files.createTempDirectory("parked-worker-blobs")), new SecretResolver(Map.of()),
        ScriptLibrary.loadFile(script), true, settings);
    AgentflowWorkers.register(factory, queue, config);
    factory.start();
    System.out.println(READY + " (Java " + Runtime.version() + ", virtual workflow threads "
        + settings.workflows().useVirtualThreads(Runtime.version().feature()) + ")");
    System.out.flush();
    BufferedReader commands = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    String command;
    while ((command = commands.readLine()) != null) {
      if (command.equals(MEASURE)) {
        System.gc();
        Thread.sleep(500);
        System.gc();
        Thread.sleep(500);
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        System.out.println(HEAP + " " + heap.getUsed());
        System.out.flush();
      }
    }
    Thread.currentThread().join();
  }
}
