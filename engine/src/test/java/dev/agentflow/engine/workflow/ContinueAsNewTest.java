package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import dev.agentflow.engine.testing.Replay;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Long runs continue as new transparently: position, state, usage and pending signals carry over. */
class ContinueAsNewTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static String script(int toolRounds) {
    StringBuilder script = new StringBuilder("replies:\n  agent:\n");
    for (int i = 0; i < toolRounds; i++) {
      script.append("    - toolCalls: [{name: big, arguments: {page: ").append(i).append("}}]\n");
      script.append("      usage: {input: 10, output: 1}\n");
    }
    script.append("    - content: \"read all ").append(toolRounds).append(" pages\"\n");
    script.append("      usage: {input: 10, output: 1}\n");
    return script.toString();
  }

  private static final String GRAPH =
      """
      apiVersion: agentflow/v1
      name: long-agent
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: setup
      nodes:
        setup: {kind: tool, tool: echo, arguments: {note: "kept"}, set: {note: "output.note"}, next: agent}
        agent: {kind: llm, model: m, prompt: "read every page", tools: [big], maxIterations: 100, next: done}
        done: {kind: end, output: "({answer: nodes.agent.output, note: vars.note, setupVisits: visits.setup, tokens: usage.totalTokens})"}
      """;

  @Test
  void should_continue_as_new_inside_a_long_tool_loop_and_finish_with_the_same_result() {
    TestTools.Simple big = TestTools.large("big", 20_000);
    harness = new GraphHarness(tempDir, script(60), List.of(big));

    WorkflowStub stub = harness.start(GRAPH, "{}", "long-agent", new RunOptions("long.yaml", null, null, 150));
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().get("answer").asText()).isEqualTo("read all 60 pages");
    assertThat(result.output().get("note").asText()).isEqualTo("kept");
    assertThat(result.output().get("setupVisits").asInt()).isEqualTo(1);
    assertThat(result.output().get("tokens").asInt()).isEqualTo(61 * 11);
    assertThat(big.calls()).isEqualTo(60);
    List<TraceEntry> continued = result.trace().stream().filter(e -> e.kind().equals("continue-as-new")).toList();
    assertThat(continued).isNotEmpty();
    assertThat(continued).allSatisfy(e -> assertThat(e.node()).isEqualTo("agent"));
    assertThat(result.trace()).filteredOn(e -> e.node().equals("setup")).hasSize(1);
    List<HistoryEvent> lastRun = harness.history("long-agent");
    assertThat(lastRun.size()).isLessThan(150 + 20);
  }

  @Test
  void should_replay_the_history_of_a_continued_run() throws Exception {
    harness = new GraphHarness(tempDir, script(30), List.of(TestTools.large("big", 100)));
    WorkflowStub stub = harness.start(GRAPH, "{}", "continued-replay", new RunOptions("long.yaml", null, null, 60));
    stub.getResult(RunResult.class);

    Replay.check(harness.client().fetchHistory("continued-replay"));
  }

  @Test
  void should_carry_a_signal_received_before_continuing_to_the_wait_node_after() {
    harness = new GraphHarness(tempDir, script(40), List.of(TestTools.large("big", 100)), false);
    WorkflowStub stub = harness.start(GRAPH.replace("next: done}\n  done:", "next: approval}\n  approval: {kind: wait, event: approve, next: done}\n  done:")
        .replace("tokens: usage.totalTokens})", "tokens: usage.totalTokens, approval: nodes.approval.output.payload.ok})"),
        "{}", "carried-signal", new RunOptions("long.yaml", null, null, 80));
    stub.signal("approve", GraphHarness.json("{\"ok\": \"yes\"}"));

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().get("approval").asText()).isEqualTo("yes");
    assertThat(result.trace()).anySatisfy(e -> assertThat(e.kind()).isEqualTo("continue-as-new"));
  }

  @Test
  void should_carry_a_checkpoint_above_the_threshold_by_reference() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of());
    String graph = """
        apiVersion: agentflow/v1
        name: big-state
        version: 1
        start: grow
        nodes:
          grow:
            kind: tool
            tool: echo
            arguments: {round: "${visits.grow}"}
            set: {big: "'x'.repeat(100000)", rounds: "visits.grow"}
            routes: [{when: "visits.grow < 12", to: grow}, {to: done}]
          done: {kind: end, output: "({bytes: vars.big.length, rounds: vars.rounds})"}
        """;

    RunResult result = harness.start(graph, "{}", "big-state", new RunOptions("big.yaml", null, null, 20)).getResult(RunResult.class);

    assertThat(result.output().get("bytes").asInt()).isEqualTo(100_000);
    assertThat(result.output().get("rounds").asInt()).isEqualTo(12);
    List<WorkflowExecutionHistory> chain = harness.chain("big-state");
    assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
    for (WorkflowExecutionHistory run : chain.subList(0, chain.size() - 1)) {
      HistoryEvent last = run.getLastEvent();
      assertThat(last.getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);
      assertThat(last.getWorkflowExecutionContinuedAsNewEventAttributes().getInput().getSerializedSize())
          .as("the continue-as-new input holds a reference, not the 100 KB variable")
          .isLessThan(LargeOutputs.THRESHOLD_BYTES);
      assertThat(activityTypes(run)).contains("StoreValue");
    }
    assertThat(activityTypes(chain.get(1))).contains("LoadValue");
    for (WorkflowExecutionHistory run : chain) {
      Replay.check(run);
    }
  }

  private static List<String> activityTypes(WorkflowExecutionHistory run) {
    return run.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }
}
