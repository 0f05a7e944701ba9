package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A map over 5,000 items: batched below Temporal's pending-children limit, and continued as new in
 * the middle of the map when Temporal suggests it, so no run's history comes near its limits.
 */
class LargeMapTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  @Test
  void should_map_5000_items_with_at_most_500_pending_children_and_keep_every_history_under_4_mib() {
    harness = new GraphHarness(tempDir, null, List.of());
    long startedAt = System.currentTimeMillis();
    WorkflowStub stub = harness.start("""
        apiVersion: agentflow/v1
        name: large-map
        version: 1
        start: each
        nodes:
          each:
            kind: map
            items: "Array.from({length: 5000}, (_, i) => i)"
            maxConcurrency: 2000
            graph:
              start: double
              nodes:
                double: {kind: end, output: "input.item * 2"}
            next: done
          done: {kind: end, output: "({count: nodes.each.output.length, last: nodes.each.output[4999], sum: nodes.each.output.reduce((a, b) => a + b, 0)})"}
        """, "{}", "large-map");

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().get("count").asInt()).isEqualTo(5000);
    assertThat(result.output().get("last").asInt()).isEqualTo(9998);
    assertThat(result.output().get("sum").asLong()).isEqualTo(4999L * 5000);
    TraceEntry map = result.trace().stream().filter(e -> e.kind().equals("map")).findFirst().orElseThrow();
    Matcher peak = Pattern.compile("peak (\\d+) concurrent").matcher(map.outcome());
    assertThat(peak.find()).isTrue();
    assertThat(Integer.parseInt(peak.group(1))).isEqualTo(FanOutRunner.MAX_PENDING_CHILDREN);

    List<WorkflowExecutionHistory> chain = harness.chain("large-map");
    List<HistoryEvent> largest = chain.stream().map(WorkflowExecutionHistory::getEvents)
        .max(Comparator.comparingLong(LargeMapTest::bytesOf)).orElseThrow();
    System.out.printf("large map: %d runs; largest history %d events, %d bytes; %d ms%n",
        chain.size(), largest.size(), bytesOf(largest), System.currentTimeMillis() - startedAt);
    assertThat(result.trace()).anySatisfy(e -> assertThat(e.kind() + " " + e.node()).isEqualTo("continue-as-new each"));
    assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
    assertThat(chain).allSatisfy(run -> assertThat(bytesOf(run.getEvents())).isLessThan(4L * 1024 * 1024));
    assertThat(chain).allSatisfy(run -> assertThat(run.getEvents()).hasSizeLessThan(10_240));
    assertThat(chain).allSatisfy(run -> assertThat(run.getEvents()).allSatisfy(
        event -> assertThat(event.getSerializedSize()).isLessThan(2 * 1024 * 1024)));
  }

  private static long bytesOf(List<HistoryEvent> events) {
    return events.stream().mapToLong(HistoryEvent::getSerializedSize).sum();
  }
}
