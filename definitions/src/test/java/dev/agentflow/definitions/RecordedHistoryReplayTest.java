package dev.agentflow.definitions;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.FailureTypes;
import dev.agentflow.engine.workflow.StartValidator;
import dev.agentflow.engine.workflow.StartVerdict;
import dev.agentflow.engine.workflow.Warmup;
import io.temporal.api.enums.v1.EventType;
import io.temporal.common.WorkflowExecutionHistory;
import dev.agentflow.engine.testing.Replay;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The recorded-history corpus: histories recorded by earlier versions of the interpreter replay on
 * the current one, so a change to interpreter code that breaks determinism fails here (guard such
 * changes with {@code Workflow.getVersion} and record a new history for the new behaviour).
 *
 * <p>The corpus is append-only, and this test enforces it: each corpus directory has a {@code
 * SHA256SUMS} manifest ({@code sha256sum} format) listing every history with its sha256, and a
 * history that is modified, deleted or not listed fails the build. Adding a history appends one
 * line ({@code sha256sum new.json >> SHA256SUMS}); nothing else in the manifest ever changes. The
 * corpora are the examples' histories here and the engine's ({@code
 * engine/src/test/resources/histories}: continue-as-new in fan-outs and waits, decided expression
 * time-outs, outputs read by reference).
 *
 * <p>Replays never depend on today's validator: every history replays with a start validator that
 * rejects every definition, because runs check their definition once, when they start (histories
 * recorded before that check was recorded bind without checking too).
 *
 * <p>Histories in {@code histories/}: {@code <example>.json} were recorded before runs upserted search
 * attributes; {@code <example>.search-attributes.json} with the upserts; {@code
 * <example>.worker-choice.json} with the worker's choice to upsert them recorded as a side effect;
 * {@code <example>.live-events.json} with live events and children named after their parent (before
 * the run guarantees); {@code <example>.events-and-guarantees.json} with both. Those with children
 * replay under the workflow id they ran with ({@code example-<name>}).
 */
class RecordedHistoryReplayTest {

  private static final Path HISTORIES = Path.of("src/test/resources/histories");
  private static final List<Path> CORPORA = List.of(HISTORIES, Path.of("../engine/src/test/resources/histories"));
  private static final String MANIFEST = "SHA256SUMS";

  static List<Path> histories(Path corpus) throws IOException {
    try (Stream<Path> files = Files.list(corpus)) {
      return files.filter(f -> f.toString().endsWith(".json")).sorted().toList();
    }
  }

  /**
   * A recorded history, replayed under the workflow id it ran with: {@code example-<name>} for the
   * examples ({@link ExampleDefinitionsTest}), its file name for the engine's. Child ids start with
   * their parent's id since the child-names change.
   */
  private static WorkflowExecutionHistory read(Path file) throws IOException {
    String name = file.getFileName().toString();
    if (!file.getParent().equals(HISTORIES)) {
      // the engine's corpus: recorded under the workflow id its file name gives
      return WorkflowExecutionHistory.fromJson(Files.readString(file), name.replaceFirst("\\.json$", ""));
    }
    return WorkflowExecutionHistory.fromJson(Files.readString(file), "example-" + name.substring(0, name.indexOf('.')));
  }

  private static List<String> changeIds(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_MARKER_RECORDED)
        .map(event -> event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId"))
        .filter(java.util.Objects::nonNull)
        .map(payloads -> payloads.getPayloads(0).getData().toStringUtf8().replace("\"", ""))
        .toList();
  }

  @Test
  void should_keep_histories_recorded_with_live_events_under_the_run_guarantees() throws IOException {
    WorkflowExecutionHistory history = read(HISTORIES.resolve("map-reduce-summarizer.events-and-guarantees.json"));
    assertThat(changeIds(history)).contains("run-guarantees", "live-events", "child-names");
  }

  @Test
  void should_keep_histories_recorded_with_live_events_and_child_names() throws IOException {
    WorkflowExecutionHistory history = read(HISTORIES.resolve("map-reduce-summarizer.live-events.json"));
    List<String> markers = changeIds(history);
    assertThat(markers).contains("live-events", "child-names");
    assertThat(history.getEvents()).filteredOn(event -> event.hasStartChildWorkflowExecutionInitiatedEventAttributes())
        .allSatisfy(event -> assertThat(event.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId())
            .startsWith("example-map-reduce-summarizer.summarize_each-1-"));
  }

  static List<Path> allHistories() throws IOException {
    List<Path> all = new java.util.ArrayList<>();
    for (Path corpus : CORPORA) {
      all.addAll(histories(corpus));
    }
    return all;
  }

  /** File name to sha256, in the manifest's order. */
  private static Map<String, String> manifest(Path corpus) throws IOException {
    Map<String, String> entries = new LinkedHashMap<>();
    for (String line : Files.readAllLines(corpus.resolve(MANIFEST))) {
      if (line.isBlank()) {
        continue;
      }
      String[] parts = line.split("\\s+", 2);
      entries.put(parts[1].replaceFirst("^\\*", ""), parts[0]);
    }
    return entries;
  }

  private static String sha256(Path file) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(file)));
  }

  @TestFactory
  Stream<DynamicTest> should_keep_every_recorded_history_byte_for_byte() throws IOException {
    Stream.Builder<DynamicTest> tests = Stream.builder();
    for (Path corpus : CORPORA) {
      for (Map.Entry<String, String> entry : manifest(corpus).entrySet()) {
        Path file = corpus.resolve(entry.getKey());
        tests.add(DynamicTest.dynamicTest(entry.getKey(), () -> {
          assertThat(file).as("%s is listed in %s but was deleted; recorded histories are append-only", file, MANIFEST)
              .exists();
          assertThat(sha256(file)).as("%s changed since it was recorded; never re-record or edit a history, add a new"
              + " one", file).isEqualTo(entry.getValue());
        }));
      }
    }
    return tests.build();
  }

  @Test
  void should_list_every_recorded_history_in_its_manifest() throws IOException {
    for (Path corpus : CORPORA) {
      List<String> files = histories(corpus).stream().map(f -> f.getFileName().toString()).toList();
      assertThat(manifest(corpus).keySet()).as("%s/%s", corpus, MANIFEST).containsAll(files);
    }
  }

  @Test
  void should_have_a_recorded_history_for_every_example() throws IOException {
    List<String> recorded = histories(HISTORIES).stream().map(f -> f.getFileName().toString().replace(".json", "")).toList();
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
    return allHistories().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Replay.check(read(file));
    }));
  }

  /** A validator stricter than any real one: it rejects every definition and every input. */
  private static final StartValidator REJECTS_EVERYTHING = new StartValidator() {
    @Override
    public StartVerdict checkDefinition(JsonNode definition, JsonNode input, String sourceName) {
      return StartVerdict.rejected(FailureTypes.INVALID_DEFINITION, "no definition is valid any more");
    }

    @Override
    public StartVerdict checkInput(GraphDefinition graph, JsonNode input) {
      return StartVerdict.rejected(FailureTypes.INVALID_INPUT, "no input is valid any more");
    }
  };

  @TestFactory
  Stream<DynamicTest> every_recorded_history_replays_with_a_validator_that_now_rejects_every_definition()
      throws IOException {
    Warmup.run();
    return allHistories().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      Replay.check(read(file), () -> new AgentGraphWorkflowImpl(REJECTS_EVERYTHING));
    }));
  }
}
