package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Budgets across child runs: a fan-out reserves a slice of what is left for each child it starts,
 * children report what they spent however they end, and the node's {@code onExceed} decides.
 */
class FanOutBudgetTest {

  /** 40 characters: a prompt of exactly 10 estimated tokens. */
  private static final String ITEM = "abcdefghij".repeat(4);

  /** Each child's one call: 10 input tokens (its prompt, as estimated) + 2 output tokens (its maxTokens). */
  private static final String SCRIPT = """
      replies:
        ask:
          - content: "summary"
            usage: {input: 10, output: 2}
      """;

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static String mapGraph(String runBudget, String mapSettings, String extraNodes) {
    return """
        apiVersion: agentflow/v1
        name: fan-budget
        version: 1
        models:
          m: {provider: offline, model: scripted, maxTokens: 2}
        %s
        start: each
        nodes:
          each:
            kind: map
            items: "input.items"
        %s
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "${input.item}", next: done}
                done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "({results: nodes.each.output, tokens: usage.totalTokens})"}
        """.formatted(runBudget, mapSettings.indent(4).stripTrailing()) + extraNodes;
  }

  private static String items(int count) {
    StringBuilder json = new StringBuilder("{\"items\": [");
    for (int i = 0; i < count; i++) {
      json.append(i == 0 ? "" : ", ").append('"').append(ITEM).append('"');
    }
    return json.append("]}").toString();
  }

  /** Model calls that completed in the child runs of {@code workflowId}: what the provider billed. */
  private long completedModelCallsOfChildren(String workflowId) {
    long calls = 0;
    for (HistoryEvent event : harness.history(workflowId)) {
      if (event.hasChildWorkflowExecutionStartedEventAttributes()) {
        String child = event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId();
        calls += harness.history(child).stream()
            .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED)
            .count();
      }
    }
    return calls;
  }

  @Test
  void should_never_spend_more_than_the_cap_plus_the_estimate_error_in_a_map_of_20_items_10_at_a_time() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());
    long cap = 126;

    WorkflowStub stub = harness.start(mapGraph("budget: {maxTokens: " + cap + "}", "maxConcurrency: 10", ""),
        items(20), "map-cap");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.BUDGET_EXCEEDED));
    long counted = stub.query("progress", Progress.class).usage().total().total();
    long billed = 12L * completedModelCallsOfChildren("map-cap");
    // Each call's estimate (10 prompt + 2 maxTokens) is exactly what it spends: the estimate error is 0.
    System.out.printf("map of 20 items, maxConcurrency 10: %d tokens billed by the provider, %d counted by the run,"
        + " cap %d%n", billed, counted, cap);
    assertThat(billed).as("tokens the provider billed").isLessThanOrEqualTo(cap);
    assertThat(counted).as("the run counts every billed call").isEqualTo(billed);
    assertThat(billed).as("about half the items fit, and they ran").isGreaterThanOrEqualTo(120);
  }

  @Test
  void should_count_what_a_child_spent_before_it_failed_with_BudgetExceeded() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());

    // branch tight's node budget (10) lets its call start (it reserves 1 + 2 tokens) but not what it spends (12)
    RunResult result = harness.run("""
        apiVersion: agentflow/v1
        name: fan-budget
        version: 1
        models:
          m: {provider: offline, model: scripted, maxTokens: 2}
        start: each
        nodes:
          each:
            kind: parallel
            onBranchError: collect
            branches:
              tight:
                start: ask
                nodes:
                  ask: {kind: llm, model: m, prompt: "hi", budget: {maxTokens: 10}, next: done}
                  done: {kind: end, output: "nodes.ask.output"}
              free:
                start: ask
                nodes:
                  ask: {kind: llm, model: m, prompt: "hi", next: done}
                  done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "({results: nodes.each.output, tokens: usage.totalTokens})"}
        """, "{}");

    assertThat(result.output().get("results").get("tight").get("error").get("type").asText()).isEqualTo("BudgetExceeded");
    assertThat(result.output().get("results").get("free").asText()).isEqualTo("summary");
    assertThat(result.output().get("tokens").asLong()).as("the failed child's call and the other's").isEqualTo(24);
    assertThat(result.usage().total().total()).isEqualTo(24);
    assertThat(result.trace().get(0).inputTokens() + result.trace().get(0).outputTokens()).isEqualTo(24);
  }

  @Test
  void should_route_a_map_whose_budget_runs_out_with_its_partial_results() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());

    RunResult result = harness.start(mapGraph("", "maxConcurrency: 2\nbudget: {maxTokens: 60, onExceed: {route: over}}",
        "  over: {kind: end, output: \"({routed: output, tokens: usage.totalTokens})\"}\n"), items(10), "map-route")
        .getResult(RunResult.class);
    RecordedHistories.keep(harness, "map-route", "fan-out-budget-route");

    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("each", "over");
    assertThat(result.trace().get(0).outcome()).isEqualTo("budget exceeded: budget of node 'each'");
    JsonNode routed = result.output().get("routed");
    assertThat(routed.get("budget").get("budget").asText()).isEqualTo("node");
    assertThat(routed.get("budget").get("node").asText()).isEqualTo("each");
    assertThat(routed.get("results")).hasSize(10);
    assertThat(routed.get("results").get(0).asText()).isEqualTo("summary");
    assertThat(result.output().get("tokens").asLong()).as("the node's cap, with exact estimates").isBetween(36L, 60L);
  }

  @Test
  void should_ask_for_more_when_a_map_runs_out_and_finish_every_item_once_raised() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());
    WorkflowStub stub = harness.start(
        mapGraph("", "maxConcurrency: 2\nbudget: {maxTokens: 24, onExceed: {ask: more_budget}}", ""), items(4), "map-ask");

    GraphHarness.awaitWaitingFor(stub, "more_budget");
    stub.signal("more_budget", GraphHarness.json("{\"addTokens\": 24}"));

    RunResult result = stub.getResult(RunResult.class);
    RecordedHistories.keep(harness, "map-ask", "fan-out-budget-ask");
    assertThat(result.output().get("results")).hasSize(4)
        .allSatisfy(item -> assertThat(item.asText()).isEqualTo("summary"));
    assertThat(result.output().get("tokens").asLong()).isEqualTo(48);
  }

  @Test
  void should_route_a_subgraph_whose_budget_cannot_cover_its_child_in_the_parent_not_in_the_child() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());

    // no run budget; the child's first call reserves 10 + 2 tokens, more than the node's 5
    RunResult result = harness.run("""
        apiVersion: agentflow/v1
        name: fan-budget
        version: 1
        models:
          m: {provider: offline, model: scripted, maxTokens: 2}
        start: sub
        nodes:
          sub:
            kind: subgraph
            budget: {maxTokens: 5, onExceed: {route: over}}
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "%s", next: done}
                done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "'finished'"}
          over: {kind: end, output: "output.budget"}
        """.formatted(ITEM), "{}");

    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("sub", "over");
    assertThat(result.output().get("budget").asText()).isEqualTo("node");
    assertThat(result.output().get("when").asText()).isEqualTo("child ran out");
    assertThat(result.usage().total().total()).isZero();
  }
}
