package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "1000 agents, 50 concurrent LLM calls" as configuration: 1,000 runs of a two-call graph against a
 * stub model that takes 1 s per request, with the {@code openai} pool limited to 50 slots in the
 * engine config. The stub must never see more than 50 requests at once, and the pool must be used
 * up to its limit. Calls per second are printed, not asserted: they measure the machine (a dev
 * server on two shared cores tops out near 85% of 50/s even for a hand-written workflow, see
 * BENCHMARKS.md), and speed targets belong in benchmarks.
 */
class ConcurrencyIT {

  private static final int RUNS = 1_000;
  private static final int POOL_LIMIT = 50;
  private static final Duration LATENCY = Duration.ofSeconds(1);

  /** Sized for 1,000 runs in flight: a cache (and threads) that never evicts one of them. */
  private static final String ENGINE_CONFIG =
      """
      pools:
        openai: {maxConcurrent: %d}
      workflows: {maxConcurrentTasks: 50, cacheSize: 1200, maxThreads: 2500}
      """.formatted(POOL_LIMIT);

  @TempDir Path tempDir;

  @Test
  void should_hold_a_thousand_runs_to_fifty_calls_in_flight() throws Exception {
    String queue = "concurrency-it-" + UUID.randomUUID().toString().substring(0, 8);
    InProcessWorkers workers = InProcessWorkers.start(ItEnvironment.temporalAddress(), queue, ENGINE_CONFIG,
        new DirectoryBlobStore(tempDir.resolve("blobs")), List.of());
    try (StubOpenAiServer stub = StubOpenAiServer.start(); workers) {
      stub.whenScriptEmpty(StubResponse.text("ok").delayedBy(LATENCY));
      WorkflowClient client = workers.client();
      double serverCpuBefore = ItEnvironment.serverCpuSeconds();
      long workerCpuBefore = processCpuNanos();
      long started = System.nanoTime();
      List<WorkflowStub> runs = startRuns(client, queue, graph(stub.baseUrl()));
      List<CompletableFuture<RunResult>> results = runs.stream().map(run -> run.getResultAsync(RunResult.class)).toList();
      CompletableFuture.allOf(results.toArray(CompletableFuture[]::new)).get(5, TimeUnit.MINUTES);
      double seconds = (System.nanoTime() - started) / 1e9;
      double workerCpu = (processCpuNanos() - workerCpuBefore) / 1e9;
      double serverCpu = ItEnvironment.serverCpuSeconds() - serverCpuBefore;

      assertThat(results).allSatisfy(result -> assertThat(result.join().output().asText()).isEqualTo("ok"));
      Rates rates = Rates.of(stub.requests().stream().map(StubOpenAiServer.RecordedRequest::receivedAt).toList());
      System.out.printf(
          "ConcurrencyIT: %d runs, %d LLM calls in %.1f s; peak in flight %d (limit %d); "
              + "steady %.1f calls/s over the middle 80%% of calls, overall %.1f calls/s (theoretical max %.0f/s)%n",
          RUNS, stub.requestCount(), seconds, stub.peakInFlight(), POOL_LIMIT, rates.steady(), rates.overall(),
          POOL_LIMIT / (LATENCY.toMillis() / 1000.0));
      System.out.printf(
          "ConcurrencyIT: CPU seconds used: this JVM (workers, stub, client) %.1f, dev server %.1f, over %.1f s on %d cores%n",
          workerCpu, serverCpu, seconds, Runtime.getRuntime().availableProcessors());

      assertThat(stub.requestCount()).isGreaterThanOrEqualTo(2 * RUNS);
      assertThat(stub.peakInFlight()).isLessThanOrEqualTo(POOL_LIMIT);
      assertThat(stub.peakInFlight()).as("the pool is used up to its limit").isGreaterThanOrEqualTo(POOL_LIMIT * 8 / 10);
    }
    // Read after the workers closed: closing their metrics scope reports every counter.
    long hits = workers.counter("temporal_sticky_cache_hit");
    long misses = workers.counter("temporal_sticky_cache_miss");
    System.out.printf("ConcurrencyIT: workflow cache: %d hits, %d misses (a miss replays a run from its start)%n", hits, misses);

    // A cache too small for the runs in flight pushes runs out, and each one misses on its next task:
    // cacheSize 100 gave 1,118 misses of 2,000 tasks (the SDK counts no eviction for it). A few misses
    // do show up with a large enough cache on a loaded machine (10 in one CI run, with no failed or
    // timed-out workflow task in any of the 1,000 histories): a handful is the machine, not the cache.
    assertThat(misses).as("runs replayed from their start").isLessThanOrEqualTo(RUNS / 40);
    assertThat(hits).as("every task after a run's first found the run in the cache").isGreaterThanOrEqualTo(2L * RUNS - misses);
  }

  private static long processCpuNanos() {
    return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean()).getProcessCpuTime();
  }

  /** Starts every run from a few threads, so starting them is not the bottleneck. */
  private static List<WorkflowStub> startRuns(WorkflowClient client, String queue, String graph) throws Exception {
    RunRequest request = new RunRequest(TextNode.valueOf(graph), new ObjectMapper().createObjectNode(), new RunOptions("two-calls.yaml", null));
    ExecutorService starters = Executors.newFixedThreadPool(8);
    try {
      List<CompletableFuture<WorkflowStub>> starting = new ArrayList<>();
      for (int i = 0; i < RUNS; i++) {
        String id = queue + "-" + i;
        starting.add(CompletableFuture.supplyAsync(() -> {
          WorkflowStub stub = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
              WorkflowOptions.newBuilder().setWorkflowId(id).setTaskQueue(queue).build());
          stub.start(request);
          return stub;
        }, starters));
      }
      List<WorkflowStub> stubs = new ArrayList<>();
      for (CompletableFuture<WorkflowStub> future : starting) {
        stubs.add(future.get(2, TimeUnit.MINUTES));
      }
      return stubs;
    } finally {
      starters.shutdown();
    }
  }

  private static String graph(String baseUrl) {
    return """
        apiVersion: agentflow/v1
        name: two-calls
        version: 1
        models:
          m: {provider: openai, model: gpt-test, baseUrl: %s, apiKey: %s, timeout: 30s}
        start: first
        nodes:
          first: {kind: llm, model: m, prompt: "first call", next: second}
          second: {kind: llm, model: m, prompt: "second call", next: done}
          done: {kind: end, output: "nodes.second.output"}
        """.formatted(baseUrl, TestModels.KEY_REF);
  }

  /**
   * Calls per second from arrival times: over the middle 80% of the calls (ramp-up while runs start
   * and the tail while the last runs finish left out), and over all of them.
   */
  record Rates(double steady, double overall) {

    static Rates of(List<Instant> arrivals) {
      List<Instant> sorted = arrivals.stream().sorted().toList();
      int first = sorted.size() / 10;
      int last = sorted.size() - 1 - sorted.size() / 10;
      return new Rates(perSecond(sorted, first, last), perSecond(sorted, 0, sorted.size() - 1));
    }

    private static double perSecond(List<Instant> sorted, int from, int to) {
      double seconds = Duration.between(sorted.get(from), sorted.get(to)).toNanos() / 1e9;
      return seconds <= 0 ? 0 : (to - from) / seconds;
    }
  }
}
