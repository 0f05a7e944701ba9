package dev.agentflow.bench;

import dev.agentflow.engine.testing.AgentLoopModel;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Prints figures for agentflow's AgentGraph against the seed's hand-written AgentWorkflow, measured
 * in one process, on one Temporal server, against one stub model, so their ratios mean something on
 * a noisy machine: history bytes and events per agent iteration (20 KB tool results), wall time per
 * iteration with a 0-latency model, and LLM calls per second at a concurrency limit against the
 * theoretical maximum (limit / latency). Not a test: nothing is asserted.
 *
 * <pre>
 * java -jar bench/target/agentflow-bench.jar [--address HOST:PORT] [--iterations 20] [--runs 300]
 *     [--limit 50] [--latency-ms 1000]
 * </pre>
 *
 * Without an address ({@code --address}, else {@code AGENTFLOW_BENCH_TEMPORAL_ADDRESS}, else {@code
 * AGENTFLOW_IT_TEMPORAL_ADDRESS}) it uses Temporal's in-process test server and says so: its
 * history figures hold, its timings do not stand for a real server.
 */
public final class Benchmarks {

  private Benchmarks() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = options(args);
    String address = options.getOrDefault("address",
        firstSet(System.getenv("AGENTFLOW_BENCH_TEMPORAL_ADDRESS"), System.getenv("AGENTFLOW_IT_TEMPORAL_ADDRESS")));
    int iterations = Integer.parseInt(options.getOrDefault("iterations", "20"));
    int runs = Integer.parseInt(options.getOrDefault("runs", "300"));
    int limit = Integer.parseInt(options.getOrDefault("limit", "50"));
    Duration latency = Duration.ofMillis(Long.parseLong(options.getOrDefault("latency-ms", "1000")));

    System.out.printf("agentflow benchmarks, %s, %d cores, Java %s%n",
        OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    AgentflowConfig settings = ConfigLoader.fromYaml("""
        pools: {openai: {maxConcurrent: %d}}
        workflows: {maxConcurrentTasks: 50, cacheSize: %d, maxThreads: %d}
        """.formatted(limit, runs + 200, 2 * (runs + 200)), "bench", Map.of()).withTaskQueue("bench-af-" + suffix);
    Path blobs = Files.createTempDirectory("agentflow-bench-blobs");

    try (Server server = Server.connect(address); AgentLoopModel stub = AgentLoopModel.start()) {
      System.out.println("server: " + server.description());
      List<Agents.Agent> agents = List.of(
          new Agents.SeedAgent(server.client(), settings, "bench-seed-" + suffix, stub.baseUrl(), limit),
          new Agents.AgentflowAgent(server.client(), settings, stub.baseUrl(), blobs));
      try {
        stub.reset(2, Duration.ZERO);
        for (Agents.Agent agent : agents) {
          for (int i = 0; i < 3; i++) {
            agent.await(agent.start(2));
          }
        }
        List<double[]> figures = new ArrayList<>();
        for (Agents.Agent agent : agents) {
          figures.add(measure(agent, server.client(), stub, iterations, runs, limit, latency));
        }
        print(agents, figures, iterations, runs, limit, latency);
      } finally {
        agents.forEach(Agents.Agent::close);
      }
    }
  }

  /**
   * One agent's figures: [0] events/iteration, [1] bytes/iteration, [2] marginal bytes/iteration,
   * [3] largest event bytes, [4] ms/iteration, [5] marginal ms/iteration, [6] steady calls/s, [7] peak
   * in flight, [8] history bytes at 2N.
   */
  private static double[] measure(Agents.Agent agent, WorkflowClient client, AgentLoopModel stub, int n, int runs,
      int limit, Duration latency) throws Exception {
    System.out.printf("measuring %s: %d and %d iterations, then %d runs at %d slots and %d ms latency…%n",
        agent.name(), n, 2 * n, runs, limit, latency.toMillis());
    Single small = single(agent, client, stub, n);
    Single large = single(agent, client, stub, 2 * n);
    double[] figures = new double[9];
    figures[0] = large.events / (2.0 * n);
    figures[1] = large.bytes / (2.0 * n);
    figures[2] = (large.bytes - small.bytes) / (double) n;
    figures[3] = large.largestEvent;
    figures[4] = large.millis / (2.0 * n);
    figures[5] = (large.millis - small.millis) / n;
    figures[8] = large.bytes;

    stub.reset(1, latency);
    ExecutorService starters = Executors.newFixedThreadPool(8);
    ExecutorService waiters = Executors.newCachedThreadPool();
    try {
      List<CompletableFuture<Void>> done = new ArrayList<>();
      for (int i = 0; i < runs; i++) {
        done.add(CompletableFuture.supplyAsync(() -> agent.start(1), starters).thenAcceptAsync(agent::await, waiters));
      }
      CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(15, TimeUnit.MINUTES);
    } finally {
      starters.shutdown();
      waiters.shutdown();
    }
    figures[6] = steadyRate(stub.arrivals());
    figures[7] = stub.peakInFlight();
    return figures;
  }

  private record Single(long bytes, int events, long largestEvent, double millis) {}

  private static Single single(Agents.Agent agent, WorkflowClient client, AgentLoopModel stub, int rounds) {
    stub.reset(rounds, Duration.ZERO);
    long started = System.nanoTime();
    String id = agent.start(rounds);
    agent.await(id);
    double millis = (System.nanoTime() - started) / 1e6;
    History history = client.fetchHistory(id).getHistory();
    long largest = history.getEventsList().stream().mapToLong(HistoryEvent::getSerializedSize).max().orElse(0);
    return new Single(history.getSerializedSize(), history.getEventsCount(), largest, millis);
  }

  /** Calls per second over the middle 80% of the arrivals (ramp-up and tail left out). */
  static double steadyRate(List<Long> sortedArrivals) {
    int first = sortedArrivals.size() / 10;
    int last = sortedArrivals.size() - 1 - sortedArrivals.size() / 10;
    double seconds = (sortedArrivals.get(last) - sortedArrivals.get(first)) / 1e9;
    return seconds <= 0 ? 0 : (last - first) / seconds;
  }

  private static void print(List<Agents.Agent> agents, List<double[]> f, int n, int runs, int limit, Duration latency) {
    double theoretical = limit / (latency.toMillis() / 1000.0);
    String[] rows = {
        "history events per iteration (at " + 2 * n + " iterations)",
        "history bytes per iteration (average over " + 2 * n + ")",
        "history bytes per extra iteration (" + n + " -> " + 2 * n + ")",
        "largest history event, bytes",
        "wall ms per iteration, 0-latency model (average over " + 2 * n + ")",
        "wall ms per extra iteration (" + n + " -> " + 2 * n + ")",
        "LLM calls/s, " + runs + " runs x 2 calls, limit " + limit + ", " + latency.toMillis() + " ms (max "
            + Math.round(theoretical) + "/s)",
        "peak LLM requests in flight (limit " + limit + ")",
        "history bytes of one " + 2 * n + "-iteration run"};
    System.out.println();
    System.out.printf("%-72s %16s %16s %10s%n", "figure", agents.get(0).name(), agents.get(1).name(), "ratio a/s");
    for (int row = 0; row < rows.length; row++) {
      double seed = f.get(0)[row];
      double agentflow = f.get(1)[row];
      System.out.printf("%-72s %16.1f %16.1f %10.3f%n", rows[row], seed, agentflow, seed == 0 ? Double.NaN : agentflow / seed);
    }
    System.out.printf("%nLLM calls/s as a share of the theoretical maximum: seed %.0f%%, agentflow %.0f%%%n",
        100 * f.get(0)[6] / theoretical, 100 * f.get(1)[6] / theoretical);
  }

  static Map<String, String> options(String[] args) {
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (int i = 0; i < args.length; i++) {
      if (!args[i].startsWith("--") || i + 1 >= args.length) {
        throw new IllegalArgumentException("usage: [--address HOST:PORT] [--iterations N] [--runs N] [--limit N] [--latency-ms MS]");
      }
      options.put(args[i].substring(2), args[++i]);
    }
    return options;
  }

  private static String firstSet(String... values) {
    for (String value : values) {
      if (value != null && !value.isBlank()) {
        return value;
      }
    }
    return null;
  }

  /** A real server by address, or Temporal's in-process test server when there is none. */
  record Server(WorkflowClient client, String description, Runnable onClose) implements AutoCloseable {

    static Server connect(String address) {
      if (address == null) {
        TestWorkflowEnvironment environment =
            TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
        RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
        return new Server(environment.getWorkflowClient(),
            "NO SERVER ADDRESS: Temporal's in-process test server (history figures hold; timings and rate limits do not)",
            environment::close);
      }
      WorkflowServiceStubs service =
          WorkflowServiceStubs.newServiceStubs(WorkflowServiceStubsOptions.newBuilder().setTarget(address).build());
      return new Server(WorkflowClient.newInstance(service), "Temporal at " + address, service::shutdown);
    }

    @Override
    public void close() {
      onClose.run();
    }
  }
}
