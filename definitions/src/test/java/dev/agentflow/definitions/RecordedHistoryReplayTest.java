package dev.agentflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.Warmup;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import dev.agentflow.engine.testing.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * Histories recorded from earlier versions of the interpreter replay on the current one: a change
 * to interpreter code that breaks determinism fails here (guard such changes with
 * {@code Workflow.getVersion}). {@code <example>.json} were recorded before runs upserted search
 * attributes; {@code <example>.search-attributes.json} was recorded with the upserts; {@code
 * <example>.worker-choice.json} with the worker's choice to upsert them recorded as a side effect.
 */
class RecordedHistoryReplayTest {

  private static final Path HISTORIES = Path.of("src/test/resources/histories");

  static List<Path> histories() throws IOException {
    try (Stream<Path> files = Files.list(HISTORIES)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * A recorded history, replayed under the workflow id {@link ExampleDefinitionsTest} ran it with
   * ({@code example-<name>}): child ids start with their parent's id since the child-names change.
   */
  private static WorkflowExecutionHistory read(Path file) throws IOException {
    String name = file.getFileName().toString();
    return WorkflowExecutionHistory.fromJson(Files.readString(file), "example-" + name.substring(0, name.indexOf('.')));
  }

  @Test
  void should_keep_histories_recorded_with_live_events_and_child_names() throws IOException {
    WorkflowExecutionHistory history = read(HISTORIES.resolve("map-reduce-summarizer.live-events.json"));
    List<String> markers = history.getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(event -> event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId"))
        .filter(java.util.Objects::nonNull)
        .map(payloads -> payloads.getPayloads(0).getData().toStringUtf8().replace("\"", ""))
        .toList();
    assertThat(markers).contains("live-events", "child-names");
    assertThat(history.getEvents()).filteredOn(event -> event.hasStartChildWorkflowExecutionInitiatedEventAttributes())
        .allSatisfy(event -> assertThat(event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId())
            .startsWith("example-map-reduce-summarizer.summarize_each-1-"));
  }

  @Test
  void should_have_a_recorded_history_for_every_example() throws IOException {
    List<String> recorded = histories().stream().map(f -> f.getFileName().toString().replace(".json", "")).toList();
    try (Stream<Path> examples = ExampleDefinitionsTest.definitionFiles()) {
      assertThat(recorded).containsAll(examples.map(f -> f.getFileName().toString().replace(".yaml", "")).toList());
    }
  }

  @Test
  void should_keep_a_history_recorded_with_search_attribute_upserts() throws IOException {
    Path file = HISTORIES.resolve("map-reduce-summarizer.search-attributes.json");
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
    assertThat(history.getEvents())
        .anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
  }

  @Test
  void should_keep_a_history_recorded_with_the_workers_search_attribute_choice() throws IOException {
    Path file = HISTORIES.resolve("map-reduce-summarizer.worker-choice.json");
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(Files.readString(file));
    assertThat(history.getEvents()).anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED
        && event.getMarkerRecordedEventAttributes().getMarkerName().equals("SideEffect"));
  }

  @TestFactory
  Stream<DynamicTest> every_recorded_history_replays_without_nondeterminism() throws IOException {
    Warmup.run();
    return histories().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Replay.check(read(file));
    }));
  }
}
