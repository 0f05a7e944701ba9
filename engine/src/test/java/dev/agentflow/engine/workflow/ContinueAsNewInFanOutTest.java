package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionContinuedAsNewEventAttributes;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.common.converter.DefaultDataConverter;
import dev.agentflow.engine.testing.Replay;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continue-as-new in the middle of a map or parallel node: the fan-out drains its pending children,
 * continues as new with its progress, and the next run goes on at the next branch. Every branch
 * runs once and the node's output is the same as without continuing.
 */
class ContinueAsNewInFanOutTest {

  @TempDir Path tempDir;

  private GraphHarness harness;
  private final TestTools.Probe probe = TestTools.probe("probe");

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static final String HEADER =
      """
      apiVersion: agentflow/v1
      name: fan-continue
      version: 1
      start: each
      nodes:
      """;

  /** A map over {@code items} whose children call the probe tool and return {@code child}. */
  private static String mapGraph(String items, String settings, String child) {
    return HEADER + """
          each:
            kind: map
            items: "%s"
            graph:
              start: work
              nodes:
                work: {kind: tool, tool: probe, arguments: {value: "${input.item.value ?? input.item}", ms: "${input.item.ms ?? 0}", fail: "${input.item.fail ?? false}"}, next: done}
                done: {kind: end, output: "%s"}
        """.formatted(items, child) + settings.indent(4) + """
            next: finish
          finish: {kind: end, output: "({each: nodes.each.output, visits: visits.each})"}
        """ + (settings.contains("onTimeout") ? "  partial: {kind: end, output: \"({partial: output})\"}\n" : "");
  }

  private static RunOptions continuingAfter(int events) {
    return new RunOptions("fan.yaml", null, null, events);
  }

  /** Continue-as-new off: only Temporal's suggestion, which these small runs never reach. */
  private static final RunOptions NEVER_CONTINUING = new RunOptions("fan.yaml", null, null, null);

  @Test
  void should_continue_as_new_in_the_middle_of_a_map_and_run_every_item_exactly_once() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 60}, (_, i) => i)", "maxConcurrency: 5", "'r' + nodes.work.output.value");

    RunResult plain = harness.start(graph, "{}", "map-plain", NEVER_CONTINUING).getResult(RunResult.class);
    int plainCalls = probe.calls();
    RunResult continued = harness.start(graph, "{}", "map-continued", continuingAfter(60)).getResult(RunResult.class);

    assertThat(plainCalls).isEqualTo(60);
    assertThat(probe.calls() - plainCalls).isEqualTo(60);
    assertThat(continued.output()).isEqualTo(plain.output());
    assertThat(continued.output().get("each").get(59).asText()).isEqualTo("r59");
    assertThat(continued.output().get("visits").asInt()).isEqualTo(1);
    List<WorkflowExecutionHistory> chain = harness.chain("map-continued");
    assertThat(fanOutCheckpoints(chain)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(continuedInsideTheFanOut(continued)).hasSize(fanOutCheckpoints(chain).size())
        .allSatisfy(e -> assertThat(e.node()).isEqualTo("each"));
    assertThat(continued.trace()).filteredOn(e -> e.kind().equals("map")).singleElement()
        .satisfies(e -> assertThat(e.outcome()).isEqualTo(mapEntry(plain).outcome()));
    assertEveryBranchStartedOnce(chain, 60);
    assertEveryRunReplays(chain);
  }

  @Test
  void should_cover_the_whole_fan_out_in_its_trace_entry_after_continuing_as_new() {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 30}, (_, i) => ({value: i, ms: 20}))", "maxConcurrency: 3",
        "nodes.work.output.value");

    RunResult continued = harness.start(graph, "{}", "duration-continued", continuingAfter(40)).getResult(RunResult.class);

    List<TraceEntry> continuations = continuedInsideTheFanOut(continued);
    assertThat(continuations).isNotEmpty();
    TraceEntry map = mapEntry(continued);
    assertThat(map.startedAtMillis()).as("the node started before its first continuation")
        .isLessThan(continuations.get(0).startedAtMillis());
    assertThat(map.startedAtMillis() + map.durationMillis()).as("and ended after its last")
        .isGreaterThanOrEqualTo(continuations.get(continuations.size() - 1).startedAtMillis());
  }

  @Test
  void should_continue_as_new_in_the_middle_of_a_parallel_node_and_run_every_branch_exactly_once() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    StringBuilder graph = new StringBuilder(HEADER + """
          each:
            kind: parallel
            input: "({name: item, position: index})"
            maxConcurrency: 2
            next: finish
            branches:
        """);
    for (int i = 0; i < 30; i++) {
      graph.append("""
                b%02d:
                  start: work
                  nodes:
                    work: {kind: tool, tool: probe, arguments: {value: "${input.name}@${input.position}"}, next: done}
                    done: {kind: end, output: "nodes.work.output.value"}
          """.formatted(i));
    }
    graph.append("  finish: {kind: end, output: \"nodes.each.output\"}\n");

    RunResult plain = harness.start(graph.toString(), "{}", "parallel-plain", NEVER_CONTINUING).getResult(RunResult.class);
    RunResult continued =
        harness.start(graph.toString(), "{}", "parallel-continued", continuingAfter(40)).getResult(RunResult.class);

    assertThat(probe.calls()).isEqualTo(60);
    assertThat(continued.output()).isEqualTo(plain.output());
    assertThat(continued.output().get("b29").asText()).isEqualTo("b29@29");
    List<WorkflowExecutionHistory> chain = harness.chain("parallel-continued");
    assertThat(fanOutCheckpoints(chain)).hasSizeGreaterThanOrEqualTo(2);
    assertThat(continuedInsideTheFanOut(continued)).hasSize(fanOutCheckpoints(chain).size())
        .allSatisfy(e -> assertThat(e.node()).isEqualTo("each"));
    assertThat(childIds(chain)).hasSize(30).doesNotHaveDuplicates();
    assertThat(childIds(chain)).extracting(ContinueAsNewInFanOutTest::branchOf)
        .containsExactlyElementsOf(IntStream.range(0, 30).mapToObj(i -> "b%02d".formatted(i)).toList());
    assertEveryRunReplays(chain);
  }

  private static final String SCRIPT =
      """
      replies:
        ask:
          - content: "summary"
            usage: {input: 10, output: 2}
      """;

  /** A map whose children each make one model call of 12 tokens. */
  private static String summarising(int items, String settings) {
    return """
        apiVersion: agentflow/v1
        name: fan-usage
        version: 1
        models:
          m: {provider: offline, model: scripted}
        start: each
        nodes:
          each:
            kind: map
            items: "Array.from({length: %d}, (_, i) => i)"
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "summarise ${input.item}", next: done}
                done: {kind: end, output: "nodes.ask.output + ' ' + input.item"}
            next: finish
        """.formatted(items) + settings.indent(4) + """
          finish: {kind: end, output: "({each: nodes.each.output, tokens: usage.totalTokens})"}
        """;
  }

  @Test
  void should_make_every_child_model_call_once_and_count_its_usage_across_continuations() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of(probe));
    String graph = summarising(30, "maxConcurrency: 3");

    RunResult plain = harness.start(graph, "{}", "usage-plain", NEVER_CONTINUING).getResult(RunResult.class);
    RunResult continued = harness.start(graph, "{}", "usage-continued", continuingAfter(40)).getResult(RunResult.class);

    assertThat(continued.output()).isEqualTo(plain.output());
    assertThat(continued.output().get("tokens").asInt()).isEqualTo(30 * 12);
    assertThat(continued.usage().total()).isEqualTo(plain.usage().total());
    assertThat(mapEntry(continued).inputTokens()).isEqualTo(300);
    assertThat(mapEntry(continued).outputTokens()).isEqualTo(60);
    List<WorkflowExecutionHistory> chain = harness.chain("usage-continued");
    assertThat(fanOutCheckpoints(chain)).hasSizeGreaterThanOrEqualTo(2);
    assertEveryBranchStartedOnce(chain, 30);
  }

  @Test
  void should_keep_counting_the_node_budget_across_continuations() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of(probe));
    String graph = summarising(30, "maxConcurrency: 1\nbudget: {maxTokens: 200}");

    assertThatThrownBy(() -> harness.start(graph, "{}", "budget-continued", continuingAfter(40)).getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.BUDGET_EXCEEDED))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("branch '16'"));
    assertThat(fanOutCheckpoints(harness.chain("budget-continued"))).first()
        .satisfies(c -> assertThat(c.next()).isLessThan(16));
  }

  @Test
  void should_keep_collected_branch_errors_from_before_a_continuation() {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 40}, (_, i) => ({value: 'v' + i, fail: i % 7 === 3}))",
        "maxConcurrency: 3\nonBranchError: collect", "nodes.work.output.value");

    RunResult plain = harness.start(graph, "{}", "collect-plain", NEVER_CONTINUING).getResult(RunResult.class);
    RunResult continued = harness.start(graph, "{}", "collect-continued", continuingAfter(80)).getResult(RunResult.class);

    assertThat(continued.output()).isEqualTo(plain.output());
    JsonNode each = continued.output().get("each");
    assertThat(each.get(3).get("$status").asText()).isEqualTo("failed");
    assertThat(each.get(3).get("error").get("type").asText()).isEqualTo("ProbeFailed");
    assertThat(each.get(38).get("$status").asText()).isEqualTo("failed");
    assertThat(each.get(39).asText()).isEqualTo("v39");
    assertThat(mapEntry(continued).outcome()).startsWith("34 succeeded, 6 failed, 0 cancelled");
    Checkpoint.FanOut first = fanOutCheckpoints(harness.chain("collect-continued")).get(0);
    assertThat(first.failed()).isGreaterThanOrEqualTo(1);
    assertThat(first.finished().get("failures").has("3")).isTrue();
  }

  @Test
  void should_fail_the_node_on_a_failed_branch_after_a_continuation() {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 40}, (_, i) => ({value: 'v' + i, fail: i === 30}))",
        "maxConcurrency: 1", "nodes.work.output.value");

    assertThatThrownBy(() -> harness.start(graph, "{}", "fail-continued", continuingAfter(60)).getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo("ProbeFailed"))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("branch '30'"));
    assertThat(probe.calls()).isEqualTo(31);
    List<WorkflowExecutionHistory> chain = harness.chain("fail-continued");
    assertThat(fanOutCheckpoints(chain)).isNotEmpty();
    assertEveryBranchStartedOnce(chain, 31);
  }

  @Test
  void should_let_the_fan_out_timeout_run_on_across_continuations_instead_of_restarting() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);
    String graph = mapGraph("Array.from({length: 120}, (_, i) => ({value: 'v' + i, ms: 150}))",
        "maxConcurrency: 2\ntimeout: 6s\nonTimeout: partial", "nodes.work.output.value");

    RunResult result = harness.start(graph, "{}", "timeout-continued", continuingAfter(40)).getResult(RunResult.class);

    JsonNode partial = result.output().get("partial");
    assertThat(partial.get(0).asText()).isEqualTo("v0");
    assertThat(partial.get(119).get("$status").asText()).isEqualTo("notStarted");
    assertThat(result.trace()).filteredOn(e -> !e.kind().equals("continue-as-new"))
        .extracting(TraceEntry::node).containsExactly("each", "partial");
    List<WorkflowExecutionHistory> chain = harness.chain("timeout-continued");
    assertThat(fanOutCheckpoints(chain)).hasSizeGreaterThanOrEqualTo(2);
    List<Long> timers = new ArrayList<>();
    for (WorkflowExecutionHistory run : chain) {
      run.getEvents().stream()
          .filter(HistoryEvent::hasTimerStartedEventAttributes)
          .forEach(e -> timers.add(toMillis(e.getTimerStartedEventAttributes().getStartToFireTimeout())));
      assertThat(durationMillis(run)).isLessThan(6000);
    }
    assertThat(timers.get(0)).isEqualTo(6000);
    assertThat(timers).hasSizeGreaterThanOrEqualTo(3);
    assertThat(timers).isSortedAccordingTo((a, b) -> Long.compare(b, a)).doesNotHaveDuplicates();
  }

  @Test
  void should_carry_large_partial_results_by_reference() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 60}, (_, i) => i)", "maxConcurrency: 5",
        "'x'.repeat(10000) + nodes.work.output.value").replace(
        "({each: nodes.each.output, visits: visits.each})",
        "({tails: nodes.each.output.map(s => s.slice(9999)), bytes: nodes.each.output.reduce((n, s) => n + s.length, 0)})");

    RunResult plain = harness.start(graph, "{}", "large-plain", NEVER_CONTINUING).getResult(RunResult.class);
    RunResult continued = harness.start(graph, "{}", "large-continued", continuingAfter(100)).getResult(RunResult.class);

    assertThat(continued.output()).isEqualTo(plain.output());
    assertThat(continued.output().get("tails").get(59).asText()).isEqualTo("x59");
    List<WorkflowExecutionHistory> chain = harness.chain("large-continued");
    List<Checkpoint.FanOut> checkpoints = fanOutCheckpoints(chain);
    assertThat(checkpoints).anySatisfy(c -> assertThat(c.finishedRef()).startsWith("sha256:"));
    for (WorkflowExecutionHistory run : chain) {
      Checkpoint checkpoint = continuedWith(run);
      if (checkpoint != null && checkpoint.fanOut() != null) {
        long inputBytes = run.getLastEvent().getWorkflowExecutionContinuedAsNewEventAttributes().getInput().getSerializedSize();
        assertThat(inputBytes).isLessThan(LargeOutputs.THRESHOLD_BYTES);
      }
    }
    assertThat(chain).anySatisfy(run -> assertThat(activityTypes(run)).contains("StoreValue"));
    assertThat(chain).anySatisfy(run -> assertThat(activityTypes(run)).contains("LoadValue"));
    assertEveryRunReplays(chain);
  }

  @Test
  void should_fail_clearly_when_the_branches_change_across_a_continuation() {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    String graph = mapGraph("Array.from({length: 40}, (_, i) => run.runId.slice(0, 8) + i)", "maxConcurrency: 2",
        "nodes.work.output.value");

    assertThatThrownBy(() -> harness.start(graph, "{}", "changed-continued", continuingAfter(60)).getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.FAN_OUT_CHANGED));
  }

  /**
   * Recorded by the interpreter before fan-outs could continue as new: a 12-item map whose history
   * passed {@code continueAsNewAfterEvents: 30} in the middle of the map and went on without
   * draining. Replaying it must not take the new path (guarded by {@code Workflow.getVersion}).
   */
  @Test
  void should_replay_a_fan_out_recorded_before_fan_outs_could_continue_as_new() throws Exception {
    String json;
    try (var in = getClass().getResourceAsStream("/histories/fan-before-continue-as-new.json")) {
      json = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    }
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    assertThat(history.getEvents()).hasSizeGreaterThan(30)
        .noneMatch(HistoryEvent::hasMarkerRecordedEventAttributes);
    Warmup.run();

    Replay.check(history);
  }

  private static TraceEntry mapEntry(RunResult result) {
    return result.trace().stream().filter(e -> e.kind().equals("map")).findFirst().orElseThrow();
  }

  /** The trace entries of continuations inside a fan-out (a run may also continue between nodes). */
  private static List<TraceEntry> continuedInsideTheFanOut(RunResult result) {
    return result.trace().stream()
        .filter(e -> e.kind().equals("continue-as-new") && e.outcome().contains("inside the fan-out"))
        .toList();
  }

  /** The checkpoint each run continued as new with, when it continued inside a fan-out. */
  private static List<Checkpoint.FanOut> fanOutCheckpoints(List<WorkflowExecutionHistory> chain) {
    return chain.stream().map(ContinueAsNewInFanOutTest::continuedWith)
        .filter(c -> c != null && c.fanOut() != null).map(Checkpoint::fanOut).toList();
  }

  /** The checkpoint a run continued as new with, or null when it did not continue. */
  private static Checkpoint continuedWith(WorkflowExecutionHistory run) {
    HistoryEvent last = run.getLastEvent();
    if (!last.hasWorkflowExecutionContinuedAsNewEventAttributes()) {
      return null;
    }
    WorkflowExecutionContinuedAsNewEventAttributes continued = last.getWorkflowExecutionContinuedAsNewEventAttributes();
    RunRequest request = DefaultDataConverter.newDefaultInstance()
        .fromPayloads(0, Optional.of(continued.getInput()), RunRequest.class, RunRequest.class);
    return request.resume();
  }

  private static List<String> childIds(List<WorkflowExecutionHistory> chain) {
    return chain.stream().flatMap(run -> run.getEvents().stream())
        .filter(HistoryEvent::hasStartChildWorkflowExecutionInitiatedEventAttributes)
        .map(e -> e.getStartChildWorkflowExecutionInitiatedEventAttributes().getWorkflowId())
        .toList();
  }

  /** The branch key in a child id {@code <parent id>.<node>-<visit>-<branch key>-<8 hex>}. */
  private static String branchOf(String childId) {
    return childId.substring(childId.lastIndexOf('.') + 1).split("-")[2];
  }

  /** Child ids name the node, its visit and the branch: each branch exactly once, in order. */
  private static void assertEveryBranchStartedOnce(List<WorkflowExecutionHistory> chain, int branches) {
    List<String> ids = childIds(chain);
    assertThat(ids).doesNotHaveDuplicates();
    assertThat(ids).extracting(ContinueAsNewInFanOutTest::branchOf)
        .containsExactlyElementsOf(IntStream.range(0, branches).mapToObj(String::valueOf).toList());
    assertThat(chain.stream().flatMap(run -> run.getEvents().stream())
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED).count())
        .isEqualTo(branches);
  }

  private static void assertEveryRunReplays(List<WorkflowExecutionHistory> chain) throws Exception {
    for (WorkflowExecutionHistory run : chain) {
      Replay.check(run);
    }
  }

  private static List<String> activityTypes(WorkflowExecutionHistory run) {
    return run.getEvents().stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList();
  }

  private static long durationMillis(WorkflowExecutionHistory run) {
    return toMillis(run.getLastEvent().getEventTime()) - toMillis(run.getEvents().get(0).getEventTime());
  }

  private static long toMillis(com.google.protobuf.Timestamp time) {
    return time.getSeconds() * 1000 + time.getNanos() / 1_000_000;
  }

  private static long toMillis(com.google.protobuf.Duration duration) {
    return Duration.ofSeconds(duration.getSeconds(), duration.getNanos()).toMillis();
  }
}
