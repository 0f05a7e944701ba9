package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A map over 5,000 items: batched below Temporal's pending-children limit, within history limits. */
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
  void should_map_5000_items_with_at_most_500_pending_children_and_stay_within_history_limits() {
    harness = new GraphHarness(tempDir, null, List.of());
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
    Matcher peak = Pattern.compile("peak (\\d+) concurrent").matcher(result.trace().get(0).outcome());
    assertThat(peak.find()).isTrue();
    assertThat(Integer.parseInt(peak.group(1))).isEqualTo(FanOutRunner.MAX_PENDING_CHILDREN);

    List<HistoryEvent> events = harness.history("large-map");
    long bytes = events.stream().mapToLong(HistoryEvent::getSerializedSize).sum();
    assertThat(events.size()).isLessThan(51_200);
    assertThat(bytes).isLessThan(50L * 1024 * 1024);
    assertThat(events).allSatisfy(event -> assertThat(event.getSerializedSize()).isLessThan(2 * 1024 * 1024));
    System.out.printf("large map: %d events, %d bytes of history%n", events.size(), bytes);
  }
}
