package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.scheduledInputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.engine.llm.TokenUsage;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import dev.agentflow.engine.testing.Replay;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BudgetTest {

  @TempDir Path tempDir;

  private GraphHarness harness;
  private TestTools.Simple counter;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  /** A model that asks for the counter tool {@code toolCalls} times (150 tokens each), then answers. */
  private void scriptedLoop(int toolCalls) {
    StringBuilder script = new StringBuilder("replies:\n  agent:\n");
    for (int i = 0; i < toolCalls; i++) {
      script.append("    - toolCalls: [{name: counter, arguments: {n: ").append(i + 1).append("}}]\n")
          .append("      usage: {input: 100, output: 50}\n");
    }
    script.append("    - content: \"done after ").append(toolCalls).append(" tools\"\n")
        .append("      usage: {input: 100, output: 50}\n");
    counter = TestTools.counting("counter");
    harness = new GraphHarness(tempDir, script.toString(), List.of(counter));
  }

  private static String graph(String modelExtras, String top, String agentExtras) {
    return """
        apiVersion: agentflow/v1
        name: budget-graph
        version: 1
        models:
          m: {provider: offline, model: scripted%s}
        %s
        start: agent
        nodes:
          agent:
            kind: llm
            model: m
            prompt: "count"
            tools: [counter]
            maxIterations: 30
            %s
            next: done
          done: {kind: end, output: "({answer: nodes.agent.output, tokens: usage.totalTokens})"}
        """.formatted(modelExtras, top, agentExtras)
        + (top.contains("route: over") ? "  over: {kind: end, output: \"output.budget\"}\n" : "");
  }

  private long llmCalls(String workflowId) {
    return scheduledInputs(harness.history(workflowId), "CallLlm").size();
  }

  @Test
  void should_fail_with_BudgetExceeded_naming_the_figures_when_the_run_budget_is_spent() {
    scriptedLoop(20);

    WorkflowStub stub = harness.start(graph("", "budget: {maxTokens: 1000}", ""), "{}", "budget-fail");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.BUDGET_EXCEEDED))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            // the reservation: the conversation so far (150 tokens, the last call's usage), the new tool
            // message (2 tokens at 4 characters a token) and no maxTokens
            "run budget exceeded before a model call of node 'agent': 900 tokens spent + 152 reserved, cap 1000 tokens"));
    assertThat(llmCalls("budget-fail")).isEqualTo(6);
  }

  @Test
  void should_stop_a_long_tool_loop_before_the_call_whose_prompt_estimate_would_pass_the_cap() {
    scriptedLoop(20);

    WorkflowStub stub = harness.start(graph("", "budget: {maxTokens: 1000}", ""), "{}", "no-call-past");
    assertThatThrownBy(() -> stub.getResult(RunResult.class)).isInstanceOf(WorkflowFailedException.class);

    Progress progress = stub.query("progress", Progress.class);
    assertThat(progress.usage().total().total()).isEqualTo(900);
    assertThat(llmCalls("no-call-past")).isEqualTo(6);
    assertThat(counter.calls()).isEqualTo(6);
  }

  @Test
  void should_fail_after_the_call_when_it_spent_more_than_its_estimate() {
    scriptedLoop(20);

    // the first call reserves its prompt, "count" (2 tokens), and spends 150
    WorkflowStub stub = harness.start(graph("", "budget: {maxTokens: 100}", ""), "{}", "past-estimate");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "run budget exceeded after a model call of node 'agent': 150 tokens spent, cap 100 tokens"));
    assertThat(counter.calls()).as("the tools of the call that went past the cap never run").isZero();
  }

  @Test
  void should_stop_before_the_cap_when_the_call_reserves_its_max_tokens() {
    scriptedLoop(20);

    WorkflowStub stub = harness.start(graph(", maxTokens: 150", "budget: {maxTokens: 1000}", ""), "{}", "reserved");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "run budget exceeded before a model call of node 'agent': 750 tokens spent + 302 reserved, cap 1000 tokens"));
    assertThat(llmCalls("reserved")).isEqualTo(5);
    assertThat(stub.query("progress", Progress.class).usage().total().total()).isEqualTo(750);
  }

  @Test
  void should_route_to_the_target_with_the_figures_when_the_budget_says_route() {
    scriptedLoop(20);

    RunResult result = harness.run(graph("", "budget: {maxTokens: 500, onExceed: {route: over}}", ""), "{}");

    assertThat(result.output().get("budget").asText()).isEqualTo("run");
    assertThat(result.output().get("node").asText()).isEqualTo("agent");
    assertThat(result.output().get("spentTokens").asLong()).isEqualTo(450);
    assertThat(result.output().get("reservedTokens").asLong()).isEqualTo(152);
    assertThat(result.output().get("maxTokens").asLong()).isEqualTo(500);
    assertThat(result.output().get("when").asText()).isEqualTo("before call");
    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("agent", "over");
    assertThat(result.trace().get(0).outcome()).isEqualTo("budget exceeded: run budget");
    assertThat(result.usage().total().total()).isEqualTo(450);
  }

  @Test
  void should_ask_for_more_budget_and_continue_when_a_human_raises_it() {
    scriptedLoop(3);
    WorkflowStub stub = harness.start(
        graph("", "budget: {maxTokens: 300, onExceed: {ask: more_budget}}", ""), "{}", "ask-raise");

    GraphHarness.awaitWaitingFor(stub, "more_budget");
    assertThat(counter.calls()).isEqualTo(1);
    stub.signal("more_budget", GraphHarness.json("{\"addTokens\": 1000}"));

    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.output().get("answer").asText()).isEqualTo("done after 3 tools");
    assertThat(result.output().get("tokens").asLong()).isEqualTo(600);
    assertThat(counter.calls()).isEqualTo(3);
  }

  @Test
  void should_fail_with_BudgetExceeded_when_the_human_asked_says_stop() {
    scriptedLoop(3);
    WorkflowStub stub = harness.start(
        graph("", "budget: {maxTokens: 300, onExceed: {ask: more_budget}}", ""), "{}", "ask-stop");

    GraphHarness.awaitWaitingFor(stub, "more_budget");
    JsonNode answer = stub.update("more_budget", JsonNode.class, GraphHarness.json("{\"stop\": true}"));

    assertThat(answer.get("node").asText()).isEqualTo("agent");
    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.BUDGET_EXCEEDED))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "run budget exceeded before a model call of node 'agent': 150 tokens spent + 152 reserved, cap 300 tokens"
                + " (stopped by 'more_budget' via update)"));
  }

  @Test
  void should_hold_a_node_budget_over_that_nodes_calls() {
    scriptedLoop(20);

    WorkflowStub stub = harness.start(
        graph("", "budget: {maxTokens: 100000}", "budget: {maxTokens: 400}"), "{}", "node-budget");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.BUDGET_EXCEEDED))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "budget of node 'agent' exceeded before a model call of node 'agent': 300 tokens spent + 152 reserved,"
                + " cap 400 tokens"));
    assertThat(llmCalls("node-budget")).isEqualTo(2);
  }

  @Test
  void should_reject_a_budget_of_zero_when_the_definition_is_loaded() {
    scriptedLoop(1);

    assertThatThrownBy(() -> harness.run(graph("", "budget: {maxTokens: 0}", ""), "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_DEFINITION));
  }

  @Test
  void should_compute_cost_from_the_definitions_pricing_and_stop_on_a_cost_budget() {
    scriptedLoop(20);
    String pricing = "pricing:\n  m: {input: 2.0, output: 8.0}\nbudget: {maxCostUsd: 0.001}";

    WorkflowStub stub = harness.start(graph("", pricing, ""), "{}", "cost");

    // each call: (100 * 2.0 + 50 * 8.0) / 1e6 = $0.0006
    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "run budget exceeded after a model call of node 'agent': $0.001200 spent, cap $0.001000"));
    UsageSummary usage = stub.query("progress", Progress.class).usage();
    assertThat(usage.costUsd()).isCloseTo(0.0012, within(1e-12));
    assertThat(usage.costByModel().get("m")).isCloseTo(0.0012, within(1e-12));
    assertThat(scheduledInputs(harness.history("cost"), "CallLlm").get(0))
        .contains("\"price\":{\"inputPerMillion\":2.0,\"outputPerMillion\":8.0}");
  }

  @Test
  void should_honour_the_limit_a_parent_run_passes_in_the_run_options() {
    scriptedLoop(20);
    WorkflowStub stub = harness.startAsChild(
        new RunRequest(TextNode.valueOf(graph("", "budget: {maxTokens: 5000}", "")), GraphHarness.json("{}"),
            new RunOptions("child.yaml", null, new Budget(300L, null, Budget.OnExceed.FAIL))),
        "child-limit");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "budget given by the parent run exceeded before a model call of node 'agent':"
                + " 150 tokens spent + 152 reserved, cap 300 tokens"));
  }

  private static BudgetLedger ledger(Budget runBudget, Budget parentLimit, RunState state) {
    GraphDefinition graph =
        new GraphDefinition("agentflow/v1", "g", 1, null, null, Map.of(), Map.of(), "a", Map.of(), Map.of(), runBudget, null);
    return new BudgetLedger(graph, parentLimit, state, null, RunVersions.fixed(true));
  }

  @Test
  void should_report_what_is_left_of_the_tightest_run_wide_budget_for_a_child() {
    RunState state = new RunState(null, RunContext.JSON.createObjectNode());
    BudgetLedger ledger = ledger(new Budget(1000L, 1.0, Budget.OnExceed.FAIL), new Budget(500L, null, Budget.OnExceed.FAIL), state);

    state.addUsage("m", new TokenUsage(200, 100), 0.25);

    assertThat(ledger.remaining()).isEqualTo(new Budget(200L, 0.75, Budget.OnExceed.FAIL));
    assertThat(ledger(null, null, state).remaining()).isNull();
  }

  @Test
  void should_share_what_is_left_evenly_among_the_children_that_start_together() {
    RunState state = new RunState(null, RunContext.JSON.createObjectNode());
    BudgetLedger ledger = ledger(new Budget(1000L, 1.0, Budget.OnExceed.FAIL), new Budget(500L, null, Budget.OnExceed.FAIL), state);
    state.addUsage("m", new TokenUsage(200, 100), 0.25);

    ChildSlice first = ledger.sliceForChild("fan", null, 2, Spend.ZERO);
    ChildSlice second = ledger.sliceForChild("fan", null, 1, Spend.ZERO);

    assertThat(first.limit()).isEqualTo(new Budget(100L, 0.375, Budget.OnExceed.FAIL));
    assertThat(first.binding()).isEqualTo(BudgetScope.PARENT);
    assertThat(second.limit().maxTokens()).as("what is left after the first child's slice").isEqualTo(100L);
  }

  @Test
  void should_give_back_the_unused_part_of_a_slice_when_the_child_ends() {
    RunState state = new RunState(null, RunContext.JSON.createObjectNode());
    BudgetLedger ledger = ledger(new Budget(100L, null, Budget.OnExceed.FAIL), null, state);
    ChildSlice slice = ledger.sliceForChild("fan", null, 1, Spend.ZERO);
    assertThat(ledger.sliceForChild("fan", null, 1, Spend.ZERO).exhausted()).as("all of it is reserved").isNotNull();

    ledger.childEnded(slice, "fan", new UsageSummary(Map.of("m", new TokenUsage(30, 10)), new TokenUsage(30, 10)));

    assertThat(ledger.sliceForChild("fan", null, 1, Spend.ZERO).limit().maxTokens()).isEqualTo(60L);
    assertThat(state.usage().total().total()).isEqualTo(40);
  }

  @Test
  void should_replay_a_recorded_budget_run_that_asked_and_was_raised() throws Exception {
    scriptedLoop(3);
    WorkflowStub stub = harness.start(
        graph("", "pricing:\n  m: {input: 1.0, output: 1.0}\nbudget: {maxTokens: 300, onExceed: {ask: more_budget}}", ""),
        "{}", "budget-replay");
    GraphHarness.awaitWaitingFor(stub, "more_budget");
    stub.signal("more_budget", GraphHarness.json("{\"addTokens\": 1000}"));
    stub.getResult(RunResult.class);

    Replay.check(harness.client().fetchHistory("budget-replay"));
  }
}
