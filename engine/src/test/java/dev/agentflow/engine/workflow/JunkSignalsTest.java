package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Signals cannot end or bloat a run: rejected signals never count as steps and keep at most {@link
 * RunState#MAX_SIGNAL_ENTRIES} trace entries (the rest are counted), each event's queue is capped,
 * and a run that waits while its history grows continues as new, its queue carried.
 */
class JunkSignalsTest {

  private static final String GATE = """
      apiVersion: agentflow/v1
      name: gate
      version: 1
      start: approval
      nodes:
        approval:
          kind: wait
          event: approve
          payload: {type: object, required: [approved], properties: {approved: {type: boolean}}}
          timeout: 48h
          onTimeout: expired
          next: done
        done: {kind: end, output: "nodes.approval.output.payload"}
        expired: {kind: end, output: "'expired'"}
      """;

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void should_complete_normally_with_a_bounded_history_after_2000_junk_signals() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(), false);
    WorkflowStub stub = harness.start(GATE, "{}", "junk", new RunOptions("gate.yaml", 10, null, 500));
    GraphHarness.awaitWaitingFor(stub, "approve");

    for (int batch = 0; batch < 40; batch++) {
      for (int i = 0; i < 25; i++) {
        stub.signal("approve", GraphHarness.json("{\"approved\": \"yes please " + i + "\"}"));
        stub.signal("spam-" + (i % 7), GraphHarness.json("{\"n\": " + i + "}"));
      }
      awaitRejected(stub, (batch + 1) * 50);
      awaitIdle("junk");
    }
    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"approved\": true}"));
    assertThat(result.rejectedSignals()).isEqualTo(2000);
    assertThat(result.trace()).filteredOn(e -> e.kind().equals("signal")).hasSize(RunState.MAX_SIGNAL_ENTRIES);
    List<WorkflowExecutionHistory> chain = harness.chain("junk");
    List<TraceEntry> continued = result.trace().stream().filter(e -> e.kind().equals("continue-as-new")).toList();
    assertThat(continued).hasSizeGreaterThanOrEqualTo(2);
    assertThat(chain).hasSizeGreaterThan(2);
    assertThat(continued).allSatisfy(e -> assertThat(e.outcome()).contains("while waiting"));
    assertThat(result.trace()).hasSize(RunState.MAX_SIGNAL_ENTRIES + continued.size() + 2);
    for (WorkflowExecutionHistory run : chain) {
      // a run continues as new in the first workflow task after it passes 500 events; the batch of
      // 50 signals that took it there may have come in as many tasks (four events each)
      assertThat(run.getEvents().size()).as("events of one run").isLessThanOrEqualTo(500 + 50 * 4 + 20);
    }
    System.out.printf("junk-signals: %d runs, events per run %s, trace %d entries, %d rejected%n", chain.size(),
        chain.stream().map(run -> run.getEvents().size()).toList(), result.trace().size(), result.rejectedSignals());
    WorkflowReplayer.replayWorkflowExecution(chain.get(1), AgentGraphWorkflowImpl.class);
  }

  /** Waits until the run has rejected {@code count} signals (signals arrive over time, as they would). */
  private static void awaitRejected(WorkflowStub stub, long count) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (System.nanoTime() < deadline) {
      try {
        if (stub.query("progress", Progress.class).rejectedSignals() >= count) {
          return;
        }
      } catch (RuntimeException continuing) {
        // the query reached the run between two of its continuations
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the run did not reject " + count + " signals within 30 s");
  }

  /**
   * Waits until {@code workflowId} is idle (its runs and their events unchanged for a moment), so a
   * continue-as-new the last batch made due has completed: a run cannot complete it while signals
   * keep arriving (Temporal makes it take them first), and a sender that never pauses keeps one run
   * growing until the server's own history limits.
   */
  private void awaitIdle(String workflowId) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    String last = "";
    int unchanged = 0;
    while (System.nanoTime() < deadline && unchanged < 3) {
      List<WorkflowExecutionHistory> chain = harness.chain(workflowId);
      String now = chain.size() + ":" + chain.get(chain.size() - 1).getEvents().size();
      unchanged = now.equals(last) ? unchanged + 1 : 0;
      last = now;
      Thread.sleep(50);
    }
  }

  @Test
  void should_wait_only_for_what_is_left_of_the_timeout_after_continuing_inside_the_wait() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(GATE, "{}", "junk-then-nothing", new RunOptions("gate.yaml", 10, null, 200));
    GraphHarness.awaitWaitingFor(stub, "approve");
    for (int i = 0; i < 300; i++) {
      stub.signal("spam", GraphHarness.json("{}"));
    }

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().asText()).isEqualTo("expired");
    assertThat(result.trace()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("continue-as-new"));
    TraceEntry approval = result.trace().stream().filter(e -> e.node().equals("approval") && e.kind().equals("wait"))
        .findFirst().orElseThrow();
    assertThat(approval.visit()).isEqualTo(1);
    assertThat(approval.outcome()).startsWith("timed out after");
    assertThat(approval.durationMillis()).as("the wait timed out 48 h after it started, not 48 h after the last continuation")
        .isBetween(48 * 3_600_000L, 48 * 3_600_000L + 60_000L);
    assertThat(result.trace().stream().filter(e -> e.kind().equals("continue-as-new")).findFirst().orElseThrow()
        .startedAtMillis()).isGreaterThan(approval.startedAtMillis());
  }

  @Test
  void should_cap_each_event_queue_and_reject_signals_past_it() {
    String twoWaits = """
        apiVersion: agentflow/v1
        name: two-waits
        version: 1
        start: go
        nodes:
          go: {kind: wait, event: go, next: approval}
          approval: {kind: wait, event: approve, next: done}
          done: {kind: end, output: "nodes.approval.output.payload.n"}
        """;
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(twoWaits, "{}", "queue-cap");
    GraphHarness.awaitWaitingFor(stub, "go");
    for (int i = 0; i < Inbox.MAX_QUEUED + 30; i++) {
      stub.signal("approve", GraphHarness.json("{\"n\": " + i + "}"));
    }
    stub.signal("go", GraphHarness.json("{}"));

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().asInt()).isZero();
    assertThat(result.rejectedSignals()).isEqualTo(30);
    assertThat(result.trace()).filteredOn(e -> e.kind().equals("signal")).hasSize(RunState.MAX_SIGNAL_ENTRIES)
        .allSatisfy(e -> assertThat(e.outcome()).isEqualTo(
            "rejected signal 'approve': its queue is full (100 signals wait for a node to take them)"));
  }
}
