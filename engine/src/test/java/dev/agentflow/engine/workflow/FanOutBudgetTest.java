package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
}
