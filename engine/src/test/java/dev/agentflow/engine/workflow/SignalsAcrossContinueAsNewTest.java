package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run that continued as new restores its checkpoint before its signal handlers exist, so a signal
 * that reaches the new run while it is still starting queues behind the ones the previous run
 * carried (first in, first out), and trace entries keep increasing step numbers.
 */
class SignalsAcrossContinueAsNewTest {

  /** Grows 70 KB of variables (so each checkpoint goes by reference and is loaded), then takes two notes. */
  private static final String GRAPH = """
      apiVersion: agentflow/v1
      name: notes
      version: 1
      start: grow
      nodes:
        grow:
          kind: tool
          tool: echo
          arguments: {round: "${visits.grow}"}
          set: {big: "'x'.repeat(70000)"}
          routes: [{when: "visits.grow < 8", to: grow}, {to: first}]
        first: {kind: wait, event: note, next: second}
        second: {kind: wait, event: note, next: done}
        done: {kind: end, output: "[nodes.first.output.payload.n, nodes.second.output.payload.n]"}
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
  void should_queue_a_signal_sent_while_a_continued_run_starts_behind_the_carried_ones() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(), false, Duration.ofSeconds(2));
    WorkflowStub stub = harness.start(GRAPH, "{}", "notes", new RunOptions("notes.yaml", null, null, 20));
    stub.signal("note", GraphHarness.json("{\"n\": 1}"));

    awaitLoadingCheckpoint("notes");
    stub.signal("note", GraphHarness.json("{\"n\": 2}"));
    stub.signal("unknown", GraphHarness.json("{}"));
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("[1, 2]"));
    List<Integer> steps = result.trace().stream().map(TraceEntry::step).toList();
    assertThat(steps).as("step numbers of %s", result.trace()).isSorted().doesNotHaveDuplicates();
    TraceEntry rejected = result.trace().stream().filter(e -> e.kind().equals("signal")).findFirst().orElseThrow();
    assertThat(rejected.outcome()).startsWith("rejected signal 'unknown'");
    assertThat(rejected.step()).isGreaterThan(result.trace().stream()
        .filter(e -> e.kind().equals("continue-as-new")).mapToInt(TraceEntry::step).min().orElseThrow());
    for (WorkflowExecutionHistory run : harness.chain("notes")) {
      WorkflowReplayer.replayWorkflowExecution(run, AgentGraphWorkflowImpl.class);
    }
  }

  /** Waits until a continued run of {@code workflowId} is loading its checkpoint (its handlers do not exist yet). */
  private void awaitLoadingCheckpoint(String workflowId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      List<HistoryEvent> events = harness.history(workflowId);
      boolean continued =
          !events.get(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId().isEmpty();
      boolean loading = events.stream().anyMatch(event -> event.hasActivityTaskScheduledEventAttributes()
          && event.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("LoadValue"))
          && events.stream().noneMatch(HistoryEvent::hasActivityTaskCompletedEventAttributes);
      if (continued && loading) {
        return;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("no continued run of " + workflowId + " loaded its checkpoint within 60 s");
  }
}
