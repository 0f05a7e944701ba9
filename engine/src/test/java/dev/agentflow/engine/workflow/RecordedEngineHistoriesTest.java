package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import dev.agentflow.engine.testing.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Every history in {@code src/test/resources/histories} replays on the current interpreter, and
 * the histories recorded for the budget ledger, cancellation, schema repairs and fan-out outcomes
 * (and live events, child names) hold the {@code getVersion} markers of those changes, so they replay their new paths (older
 * histories, without the markers, replay the old ones).
 */
class RecordedEngineHistoriesTest {

  /** History file to the change ids whose markers it must hold. */
  private static final Map<String, List<String>> MARKED = Map.of(
      "fan-out-budget-route", List.of(RunVersions.BUDGET_LEDGER, RunVersions.CANCELLATION),
      "fan-out-budget-ask", List.of(RunVersions.BUDGET_LEDGER, RunVersions.CANCELLATION),
      "cancelled-fan-out", List.of(RunVersions.CANCELLATION),
      "cancelled-fan-out-child", List.of(RunVersions.CANCELLATION),
      "cancelled-tool-loop", List.of(RunVersions.CANCELLATION),
      "schema-repair", List.of(RunVersions.SCHEMA_REPAIR),
      "join-all-collect-failed", List.of(RunVersions.FAN_OUT_OUTCOMES),
      "live-events-fan-out", List.of(RunVersions.LIVE_EVENTS, RunVersions.CHILD_NAMES),
      "live-events-continued", List.of(RunVersions.LIVE_EVENTS));

  static List<Path> histories() throws IOException {
    try (Stream<Path> files = Files.list(RecordedHistories.DIRECTORY)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * A recorded history, replayed under the workflow id it was recorded with (its file name): child
   * ids start with their parent's id since {@link RunVersions#CHILD_NAMES}.
   */
  private static WorkflowExecutionHistory read(Path file) throws IOException {
    String workflowId = file.getFileName().toString().replaceFirst("\\.json$", "");
    return WorkflowExecutionHistory.fromJson(Files.readString(file), workflowId);
  }

  @Test
  void should_have_a_recorded_history_with_its_markers_for_each_change() throws IOException {
    for (Map.Entry<String, List<String>> entry : MARKED.entrySet()) {
      Path file = RecordedHistories.DIRECTORY.resolve(entry.getKey() + ".json");
      assertThat(file).as("recorded history %s", entry.getKey()).exists();
      List<String> markers = read(file).getEvents().stream()
          .filter(HistoryEvent::hasMarkerRecordedEventAttributes)
          .map(e -> e.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId"))
          .filter(java.util.Objects::nonNull)
          .map(payloads -> payloads.getPayloads(0).getData().toStringUtf8().replace("\"", ""))
          .toList();
      assertThat(markers).as("getVersion markers of %s", entry.getKey()).containsAll(entry.getValue());
    }
  }

  @TestFactory
  Stream<DynamicTest> every_recorded_history_replays_without_nondeterminism() throws IOException {
    Warmup.run();
    return histories().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> Replay.check(read(file))));
  }
}
