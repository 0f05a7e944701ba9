package dev.agentflow.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.api.batch.v1.BatchOperationSignal;
import io.temporal.api.workflowservice.v1.CountWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.StartBatchOperationRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Parks N {@code approval-gate} runs at their {@code wait} node on one worker (a JVM of its own,
 * {@link ParkedWorker}) and prints the worker's resident memory and threads before and after, per
 * parked run; then approves them all with one batch signal (the server's batch operation, as {@code
 * temporal workflow signal --query …} does) and prints the time until all completed, and how many
 * failed ({@code --hold-seconds} keeps them parked that long first, e.g. to take a heap histogram
 * of the worker). Needs a real server with agentflow's search attributes ({@code .ci/temporal-dev-server.sh}).
 * The worker JVM gets the options the {@code agentflow} launcher gives {@code agentflow worker}
 * ({@link #LAUNCHER_WORKER_OPTIONS}) unless {@code --worker-options} replaces them ({@code none}:
 * no options).
 *
 * <pre>
 * java -cp bench/target/agentflow-bench.jar dev.agentflow.bench.ParkedRuns --address HOST:PORT
 *     [--runs 10000] [--worker-java /path/to/java] [--worker-heap 2g] [--cache-size RUNS]
 *     [--definitions definitions] [--hold-seconds 0] [--worker-options "-XX:… -XX:…"]
 * </pre>
 */
public final class ParkedRuns {

  /** What the {@code agentflow} launcher adds for {@code agentflow worker}; keep the two the same. */
  static final String LAUNCHER_WORKER_OPTIONS =
      "-XX:G1PeriodicGCInterval=60000 -XX:MinHeapFreeRatio=10 -XX:MaxHeapFreeRatio=30";

  private static final ObjectMapper JSON = new ObjectMapper();

  private ParkedRuns() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Benchmarks.options(args);
    String address = options.get("address");
    if (address == null) {
      throw new IllegalArgumentException("--address HOST:PORT of a Temporal server is required");
    }
    int runs = Integer.parseInt(options.getOrDefault("runs", "10000"));
    int cacheSize = Integer.parseInt(options.getOrDefault("cache-size", String.valueOf(runs)));
    String workerJava = options.getOrDefault("worker-java", Path.of(System.getProperty("java.home"), "bin", "java").toString());
    String heap = options.getOrDefault("worker-heap", "2g");
    int hold = Integer.parseInt(options.getOrDefault("hold-seconds", "0"));
    Path definitions = Path.of(options.getOrDefault("definitions", "definitions"));
    String definition = Files.readString(definitions.resolve("approval-gate.yaml"));
    String queue = "bench-parked-" + UUID.randomUUID().toString().substring(0, 8);

    List<String> command = new ArrayList<>(List.of(workerJava, "-Xmx" + heap));
    String workerOptions = options.getOrDefault("worker-options", LAUNCHER_WORKER_OPTIONS);
    if (!workerOptions.isBlank() && !workerOptions.equals("none")) {
      command.addAll(List.of(workerOptions.trim().split("\\s+")));
    }
    command.addAll(List.of("-cp", System.getProperty("java.class.path"), ParkedWorker.class.getName(), address, queue,
        String.valueOf(cacheSize), definitions.resolve("approval-gate.offline.yaml").toString()));
    Process worker = new ProcessBuilder(command).redirectErrorStream(true).start();
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
    try {
      BlockingQueue<String> lines = new LinkedBlockingQueue<>();
      System.out.println("worker: " + awaitReady(worker, lines) + ", JVM options: -Xmx" + heap + " " + workerOptions);
      Thread.sleep(5_000);
      long idleHeap = measureHeap(worker, lines);
      long[] idle = rssAndThreads(worker.pid());
      System.out.printf("worker idle: RSS %,d KB, heap in use after a full GC %,d KB, %d threads%n", idle[0],
          idleHeap / 1024, idle[1]);

      long startedAt = System.nanoTime();
      start(WorkflowClient.newInstance(service), queue, definition, runs);
      System.out.printf("started %,d runs in %.1f s%n", runs, seconds(startedAt));
      String parkedQuery = "TaskQueue='" + queue + "' AND ExecutionStatus='Running' AND AgentflowNode='approval'";
      awaitCount(service, parkedQuery, runs, Duration.ofMinutes(60), "parked at 'approval'");
      System.out.printf("all %,d parked %.1f s after the first start%n", runs, seconds(startedAt));
      Thread.sleep(10_000);
      long parkedHeap = measureHeap(worker, lines);
      long[] parked = rssAndThreads(worker.pid());
      System.out.printf("worker with %,d parked runs: RSS %,d KB, heap in use after a full GC %,d KB, %d threads%n",
          runs, parked[0], parkedHeap / 1024, parked[1]);
      System.out.printf("per parked run: %.1f KB of RSS, %.1f KB of heap, %.3f threads%n",
          (parked[0] - idle[0]) / (double) runs, (parkedHeap - idleHeap) / 1024.0 / runs,
          (parked[1] - idle[1]) / (double) runs);

      Thread.sleep(1000L * hold);
      long signalledAt = signalAll(service, queue);
      String completed = "TaskQueue='" + queue + "' AND ExecutionStatus='Completed'";
      awaitCount(service, completed, runs, Duration.ofMinutes(60), "completed");
      System.out.printf("batch signal to all %,d completed: %.1f s%n", runs, seconds(signalledAt));
      System.out.printf("failed: %d, still running: %d%n",
          count(service, "TaskQueue='" + queue + "' AND ExecutionStatus='Failed'"),
          count(service, "TaskQueue='" + queue + "' AND ExecutionStatus='Running'"));
    } finally {
      worker.destroyForcibly();
      service.shutdownNow();
    }
  }

  private static String awaitReady(Process worker, BlockingQueue<String> answers) throws IOException {
    BufferedReader out = new BufferedReader(new InputStreamReader(worker.getInputStream(), StandardCharsets.UTF_8));
    String line;
    while ((line = out.readLine()) != null) {
      if (line.contains(ParkedWorker.READY)) {
        Thread drain = new Thread(() -> out.lines().filter(l -> l.startsWith(ParkedWorker.HEAP)).forEach(answers::add),
            "worker-output");
        drain.setDaemon(true);
        drain.start();
        return line;
      }
    }
    throw new IllegalStateException("the worker exited before it was ready");
  }

  /** Asks the worker for a full GC and returns the heap in use after it, in bytes. */
  private static long measureHeap(Process worker, BlockingQueue<String> answers) throws Exception {
    worker.getOutputStream().write((ParkedWorker.MEASURE + "\n").getBytes(StandardCharsets.UTF_8));
    worker.getOutputStream().flush();
    String answer = answers.poll(2, TimeUnit.MINUTES);
    if (answer == null) {
      throw new IllegalStateException("the worker did not report its heap");
    }
    return Long.parseLong(answer.substring(ParkedWorker.HEAP.length()).trim());
  }

  private static void start(WorkflowClient client, String queue, String definition, int runs) throws Exception {
    ExecutorService starters = Executors.newFixedThreadPool(16);
    try {
      List<Future<?>> started = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        String id = queue + "-" + i;
        started.add(starters.submit(() -> {
          ObjectNode request = JSON.createObjectNode();
          request.put("definition", definition);
          request.putObject("input").put("request", "Tell Ada her $42 refund is approved.");
          request.putNull("options");
          client.newUntypedWorkflowStub("AgentGraph",
              WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(id).build()).start(request);
        }));
      }
      for (Future<?> future : started) {
        future.get();
      }
    } finally {
      starters.shutdown();
      starters.awaitTermination(1, TimeUnit.MINUTES);
    }
  }

  /**
   * Starts the batch signal; while another batch operation runs on the namespace (a dev server runs
   * one at a time), waits for it, up to ten minutes.
   *
   * @return {@link System#nanoTime()} when ours was started
   */
  private static long signalAll(WorkflowServiceStubs service, String queue) throws InterruptedException {
    ObjectNode approval = JSON.createObjectNode().put("approved", true);
    StartBatchOperationRequest request = StartBatchOperationRequest.newBuilder()
        .setNamespace("default")
        .setJobId(UUID.randomUUID().toString())
        .setReason("agentflow parked-runs benchmark")
        .setVisibilityQuery("TaskQueue='" + queue + "' AND ExecutionStatus='Running'")
        .setSignalOperation(BatchOperationSignal.newBuilder()
            .setSignal("approve")
            .setInput(DefaultDataConverter.newDefaultInstance().toPayloads(approval).orElseThrow()))
        .build();
    long deadline = System.nanoTime() + Duration.ofMinutes(10).toNanos();
    while (true) {
      long startedAt = System.nanoTime();
      try {
        service.blockingStub().startBatchOperation(request);
        return startedAt;
      } catch (io.grpc.StatusRuntimeException e) {
        if (e.getStatus().getCode() != io.grpc.Status.Code.RESOURCE_EXHAUSTED || System.nanoTime() > deadline) {
          throw e;
        }
        System.out.println("  another batch operation is running; waiting to start ours");
        Thread.sleep(5_000);
      }
    }
  }

  private static void awaitCount(WorkflowServiceStubs service, String query, long expected, Duration timeout, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long last = -1;
    while (System.nanoTime() < deadline) {
      long now = count(service, query);
      if (now >= expected) {
        return;
      }
      if (now / 1000 != last / 1000) {
        System.out.printf("  %,d of %,d %s%n", now, expected, what);
      }
      last = now;
      Thread.sleep(1_000);
    }
    throw new IllegalStateException("timed out waiting for " + expected + " runs " + what);
  }

  private static long count(WorkflowServiceStubs service, String query) {
    return service.blockingStub().countWorkflowExecutions(
        CountWorkflowExecutionsRequest.newBuilder().setNamespace("default").setQuery(query).build()).getCount();
  }

  /** VmRSS (KB) and Threads of a process, from {@code /proc/<pid>/status}. */
  private static long[] rssAndThreads(long pid) throws IOException {
    long rss = -1;
    long threads = -1;
    for (String line : Files.readAllLines(Path.of("/proc", String.valueOf(pid), "status"))) {
      if (line.startsWith("VmRSS:")) {
        rss = Long.parseLong(line.replaceAll("\\D", ""));
      } else if (line.startsWith("Threads:")) {
        threads = Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return new long[] {rss, threads};
  }

  private static double seconds(long sinceNanos) {
    return (System.nanoTime() - sinceNanos) / 1e9;
  }
}
