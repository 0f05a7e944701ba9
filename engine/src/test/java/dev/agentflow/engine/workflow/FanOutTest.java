package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import dev.agentflow.engine.testing.Replay;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FanOutTest {

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
      name: fan-test
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: each
      nodes:
      """;

  private static String mapGraph(String settings, String finish) {
    return HEADER + """
          each:
            kind: map
            items: "input.items"
            graph:
              start: work
              nodes:
                work: {kind: tool, tool: probe, arguments: {ms: "${input.item.ms}", value: "${input.item.value}", fail: "${input.item.fail ?? false}"}, next: done}
                done: {kind: end, output: "nodes.work.output.value"}
        """ + settings.indent(4) + """
            next: finish
          finish: {kind: end, output: "%s"}
        """.formatted(finish)
        + (settings.contains("onTimeout") ? "  partial: {kind: end, output: \"({partial: output})\"}\n" : "");
  }

  private static String items(int count, int ms) {
    StringBuilder json = new StringBuilder("{\"items\": [");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ", ").append("{\"ms\": ").append(ms).append(", \"value\": \"v").append(i).append("\"}");
    }
    return json.append("]}").toString();
  }

  @Test
  void should_return_map_results_in_item_order() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    RunResult result = harness.run(mapGraph("maxConcurrency: 4", "nodes.each.output"), items(7, 0));

    assertThat(result.output().toString()).isEqualTo("[\"v0\",\"v1\",\"v2\",\"v3\",\"v4\",\"v5\",\"v6\"]");
    assertThat(probe.calls()).isEqualTo(7);
  }

  @Test
  void should_never_run_more_children_than_maxConcurrency() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);

    RunResult result = harness.run(mapGraph("maxConcurrency: 3", "nodes.each.output"), items(10, 150));

    assertThat(result.output().size()).isEqualTo(10);
    assertThat(probe.peak()).isBetween(2, 3);
    assertThat(result.trace().get(0).outcome()).contains("10 succeeded").contains("peak 3 concurrent");
  }

  @Test
  void should_cancel_the_other_children_when_join_any_is_satisfied() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);

    RunResult result = harness.run(mapGraph("join: any", "nodes.each.output"),
        "{\"items\": [{\"ms\": 3000, \"value\": \"slow\"}, {\"ms\": 10, \"value\": \"fast\"}, {\"ms\": 3000, \"value\": \"slow2\"}]}");

    assertThat(result.output().get(1).asText()).isEqualTo("fast");
    assertThat(result.output().get(0).get("$status").asText()).isEqualTo("cancelled");
    assertThat(result.output().get(2).get("$status").asText()).isEqualTo("cancelled");
  }

  @Test
  void should_take_the_timeout_route_with_partial_results_and_cancel_the_rest() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);

    RunResult result = harness.start(mapGraph("timeout: 1s\nonTimeout: partial", "nodes.each.output"),
        "{\"items\": [{\"ms\": 10, \"value\": \"quick\"}, {\"ms\": 5000, \"value\": \"late\"}]}", "timed-out")
        .getResult(RunResult.class);

    JsonNode partial = result.output().get("partial");
    assertThat(partial.get(0).asText()).isEqualTo("quick");
    assertThat(partial.get(1).get("$status").asText()).isEqualTo("cancelled");
    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("each", "partial");
    assertThat(harness.history("timed-out")).as("the late branch's cancellation completed before the run went on")
        .filteredOn(e -> e.getEventType() == io.temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED)
        .hasSize(1);
  }

  @Test
  void should_cancel_the_rest_once_at_least_n_branches_succeeded() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);

    RunResult result = harness.run(mapGraph("join: {atLeast: 2}", "nodes.each.output"),
        "{\"items\": [{\"ms\": 10, \"value\": \"a\"}, {\"ms\": 4000, \"value\": \"slow\"}, {\"ms\": 10, \"value\": \"c\"}]}");

    assertThat(result.output().get(0).asText()).isEqualTo("a");
    assertThat(result.output().get(1).get("$status").asText()).isEqualTo("cancelled");
    assertThat(result.output().get(2).asText()).isEqualTo("c");
  }

  @Test
  void should_collect_branch_errors_when_asked_to() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    RunResult result = harness.run(mapGraph("onBranchError: collect", "nodes.each.output"),
        "{\"items\": [{\"ms\": 0, \"value\": \"a\"}, {\"ms\": 0, \"value\": \"b\", \"fail\": true}]}");

    assertThat(result.output().get(0).asText()).isEqualTo("a");
    assertThat(result.output().get(1).get("$status").asText()).isEqualTo("failed");
    assertThat(result.output().get(1).get("error").get("type").asText()).isEqualTo("ProbeFailed");
  }

  @Test
  void should_fail_the_node_on_a_failed_branch_by_default() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    assertThatThrownBy(() -> harness.run(mapGraph("maxConcurrency: 1", "nodes.each.output"),
        "{\"items\": [{\"ms\": 0, \"value\": \"a\"}, {\"ms\": 0, \"value\": \"b\", \"fail\": true}, {\"ms\": 0, \"value\": \"c\"}]}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo("ProbeFailed"));
    assertThat(probe.calls()).isEqualTo(2);
  }

  @Test
  void should_fail_clearly_when_items_is_not_an_array() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    assertThatThrownBy(() -> harness.run(mapGraph("maxConcurrency: 1", "nodes.each.output"), "{\"items\": {\"a\": 1}}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.ITEMS_NOT_ARRAY))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("must give an array, got object"));
  }

  @Test
  void should_key_parallel_results_by_branch_name() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    RunResult result = harness.run(HEADER + """
          each:
            kind: parallel
            input: "({name: item, position: index})"
            branches:
              left:
                start: work
                nodes:
                  work: {kind: tool, tool: probe, arguments: {value: "${input.name}-${input.position}"}, next: done}
                  done: {kind: end, output: "nodes.work.output.value"}
              right:
                start: work
                nodes:
                  work: {kind: tool, tool: probe, arguments: {value: "${input.name}-${input.position}"}, next: done}
                  done: {kind: end, output: "nodes.work.output.value"}
            next: finish
          finish: {kind: end, output: "nodes.each.output"}
        """, "{}");

    assertThat(result.output().get("left").asText()).isEqualTo("left-0");
    assertThat(result.output().get("right").asText()).isEqualTo("right-1");
  }

  @Test
  void should_count_children_usage_in_the_parent() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "summary"
              usage: {input: 10, output: 2}
        """, List.of(probe));

    RunResult result = harness.run(HEADER + """
          each:
            kind: map
            items: "[1, 2, 3]"
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "summarise ${input.item}", next: done}
                done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "nodes.each.output"}
        """, "{}");

    assertThat(result.output().size()).isEqualTo(3);
    assertThat(result.usage().total().total()).isEqualTo(36);
  }

  @Test
  void should_never_give_a_child_more_than_the_run_budget_has_left() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "summary"
              usage: {input: 10, output: 2}
        """, List.of(probe));

    assertThatThrownBy(() -> harness.run("""
        apiVersion: agentflow/v1
        name: fan-test
        version: 1
        budget: {maxTokens: 25}
        models:
          m: {provider: offline, model: scripted}
        start: each
        nodes:
          each:
            kind: map
            items: "[1, 2, 3, 4]"
            maxConcurrency: 1
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "summarise ${input.item}", next: done}
                done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "nodes.each.output"}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo("BudgetExceeded"))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("branch '2'"));
  }

  @Test
  void should_return_a_large_child_output_by_reference_and_read_it_as_its_value() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    WorkflowStub stub = harness.start(HEADER + """
          each:
            kind: map
            items: "[1, 2]"
            graph:
              start: big
              nodes:
                big: {kind: end, output: "'x'.repeat(100000) + input.item"}
            next: finish
          finish: {kind: end, output: "nodes.each.output.map(o => o.length + ':' + o.slice(-2))"}
        """, "{}", "large-child");
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("[\"100001:x1\", \"100001:x2\"]"));
    JsonNode first = GraphHarness.JSON.readTree(harness.history("large-child").stream()
        .filter(HistoryEvent::hasChildWorkflowExecutionCompletedEventAttributes)
        .findFirst().orElseThrow()
        .getChildWorkflowExecutionCompletedEventAttributes().getResult().getPayloads(0).getData().toStringUtf8())
        .get("output");
    assertThat(first.get("$ref").asText()).startsWith("sha256:");
    assertThat(first.get("sizeBytes").asLong()).isEqualTo(100_003);
    String stored = new String(harness.blobs().get(first.get("$ref").asText()), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(stored).startsWith("\"xxx").endsWith("\"");
  }

  @Test
  void should_replay_a_fan_out_history() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(probe));
    WorkflowStub stub = harness.start(mapGraph("maxConcurrency: 2", "nodes.each.output"), items(4, 0), "fan-out-replay");
    stub.getResult(RunResult.class);

    Replay.check(harness.client().fetchHistory("fan-out-replay"));
  }

  @Test
  void should_fail_join_all_with_collected_errors_when_every_branch_failed() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    WorkflowStub stub = harness.start(mapGraph("onBranchError: collect", "nodes.each.output"),
        "{\"items\": [{\"ms\": 0, \"value\": \"a\", \"fail\": true}, {\"ms\": 0, \"value\": \"b\", \"fail\": true}]}",
        "all-failed");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.JOIN_NOT_SATISFIED))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("0 succeeded, 2 failed"));
    RecordedHistories.keep(harness, "all-failed", "join-all-collect-failed");
  }

  @Test
  void should_fail_a_map_whose_items_are_fewer_than_its_join_needs_before_starting_a_child() {
    harness = new GraphHarness(tempDir, null, List.of(probe));

    assertThatThrownBy(() -> harness.run(mapGraph("join: {atLeast: 5}", "nodes.each.output"), items(3, 0)))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.JOIN_NOT_SATISFIED))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).isEqualTo(
            "node 'each': join {atLeast: 5} needs 5 successful branches, but there are 3 branches"));
    assertThat(probe.calls()).isZero();
  }

  @Test
  void should_write_a_fan_out_timeout_as_the_definition_does() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);

    assertThatThrownBy(() -> harness.run(mapGraph("timeout: 1s", "nodes.each.output"), items(1, 5000)))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.FAN_OUT_TIMED_OUT))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("timed out after 1s ("));
  }

  @Test
  void should_await_the_branches_a_satisfied_join_cancelled_before_going_on() {
    harness = new GraphHarness(tempDir, null, List.of(probe), false);
    WorkflowStub stub = harness.start(mapGraph("join: any", "nodes.each.output"),
        "{\"items\": [{\"ms\": 20000, \"value\": \"slow\"}, {\"ms\": 10, \"value\": \"fast\"}]}", "join-awaits");

    stub.getResult(RunResult.class);

    List<io.temporal.api.history.v1.HistoryEvent> events = harness.history("join-awaits");
    assertThat(events).filteredOn(e -> e.getEventType()
            == io.temporal.api.enums.v1.EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED)
        .as("the slow branch's cancellation completed before the run went on").hasSize(1);
    assertThat(events.get(events.size() - 1).getEventType())
        .isEqualTo(io.temporal.api.enums.v1.EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED);
  }
}
