package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The expressions that used to hang a run (an endless workflow-task retry, or a thread Temporal's
 * deadlock detector reported as leaked) now fail it cleanly: a non-retryable error naming the node
 * and the expression, the same on every machine; and an expression that no deterministic limit
 * stops still fails the run in bounded time, with the decision in the history.
 */
class ExpressionLimitsRunTest {

  private static final String HEADER = """
      apiVersion: agentflow/v1
      name: expression-limits
      version: 1
      start: done
      nodes:
      """;

  @TempDir Path tempDir;

  private GraphHarness harness;

  @BeforeEach
  void start() {
    harness = new GraphHarness(tempDir, null, List.of());
  }

  @AfterEach
  void close() {
    harness.close();
  }

  private WorkflowFailedException failedRun(String output, String workflowId) {
    long started = System.nanoTime();
    WorkflowStub stub = harness.start(HEADER + "  done: {kind: end, output: \"" + output + "\"}\n", "{}", workflowId);
    WorkflowFailedException failure = catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
    System.out.printf("expression-limits: %s failed in %d ms: %s%n", output, (System.nanoTime() - started) / 1_000_000,
        rootMessage(failure));
    return failure;
  }

  private void assertExpressionError(String output, String message) {
    WorkflowFailedException failure = failedRun(output, "limit-" + Integer.toHexString(output.hashCode()));

    assertThat(failure).as(output).isNotNull();
    assertThat(failureType(failure)).isEqualTo(FailureTypes.EXPRESSION_ERROR);
    assertThat(rootMessage(failure)).startsWith("node 'done': output `").contains(message);
  }

  @Test
  void should_fail_the_run_when_an_expression_repeats_a_string_past_the_limit() {
    assertExpressionError("'x'.repeat(1e9)", "a string would be longer than the 1049600 characters expressions may make");
  }

  @Test
  void should_fail_the_run_when_an_expression_fills_a_huge_array() {
    assertExpressionError("new Array(1e9).fill(0)", "expressions may not make or walk more than 100000 elements in one"
        + " operation (new Array: 1000000000)");
  }

  @Test
  void should_fail_the_run_when_an_expression_returns_a_huge_array() {
    assertExpressionError("new Array(1e9)", "(new Array: 1000000000)");
    assertExpressionError("(a => { a.length = 1e9; return a; })([])", "a string would be longer");
  }

  @Test
  void should_fail_the_run_when_an_expression_reaches_for_bigint() {
    assertExpressionError("String(BigInt(10) ** BigInt(10000000))", "'BigInt' is not available in expressions");
  }

  @Test
  void should_refuse_a_bigint_literal_when_the_run_starts() {
    WorkflowFailedException failure = failedRun("(10n ** 10000000n) > 0n", "bigint-literal");

    assertThat(failureType(failure)).isEqualTo(FailureTypes.INVALID_DEFINITION);
    assertThat(rootMessage(failure)).contains("test.yaml:6:").contains("BigInt literals such as 10n are not available");
  }

  @Test
  void should_fail_the_run_when_an_expression_loops_on_promises() {
    assertExpressionError("(() => { const f = () => Promise.resolve().then(f); f(); return 1; })()",
        "'Promise' is not available in expressions");
    WorkflowFailedException async = failedRun("(async () => { while (true) await null; })()", "async-loop");
    assertThat(failureType(async)).isEqualTo(FailureTypes.INVALID_DEFINITION);
    assertThat(rootMessage(async)).contains("'async' is not available in expressions");
  }

  @Test
  void should_still_fail_the_run_at_the_statement_limit() {
    assertExpressionError("(() => { while (true) {} })()", "expression exceeded the statement limit (100000)");
  }

  /**
   * Scanning a 1 MB string 100,000 times stays far below every deterministic limit (a few hundred
   * statements) and runs for minutes: only the watchdog stops it. The time-out fails the workflow
   * task twice (a busy moment is not a reason to fail a run), is decided on the third, recorded as
   * a marker, and the run fails; its history replays to the same failure without evaluating.
   */
  @Test
  void should_fail_the_run_in_bounded_time_with_the_decision_in_history_when_only_the_watchdog_stops_it()
      throws Exception {
    String slow = "(() => { const s = 'x'.repeat(1000000); let n = 0;"
        + " for (let i = 0; i < 100000; i++) n += s.indexOf('y'); return n; })()";

    WorkflowFailedException failure = failedRun(slow, "slow-expression");

    assertThat(failureType(failure)).isEqualTo(FailureTypes.EXPRESSION_ERROR);
    assertThat(rootMessage(failure)).startsWith("node 'done': output `")
        .contains("exceeded the time limit (500 ms) again and again (3 workflow tasks, or a builtin kept it running"
            + " past the limit) without reaching a deterministic limit");
    WorkflowExecutionHistory history = harness.client().fetchHistory("slow-expression");
    assertThat(history.getEvents()).anySatisfy(event -> assertThat(markerChangeId(event))
        .isEqualTo(ExpressionGuard.TIME_LIMIT_CHANGE_ID + "1"));
    assertThat(history.getEvents()).anyMatch(event -> event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED);
    assertThat(history.getLastEvent().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED);

    long replayStarted = System.nanoTime();
    WorkflowReplayer.replayWorkflowExecution(history, AgentGraphWorkflowImpl.class);
    System.out.printf("expression-limits: the timed-out history replayed in %d ms%n", (System.nanoTime() - replayStarted) / 1_000_000);
  }

  private static String markerChangeId(HistoryEvent event) {
    if (!event.hasMarkerRecordedEventAttributes()) {
      return "";
    }
    var details = event.getMarkerRecordedEventAttributes().getDetailsMap().get("changeId");
    return details == null ? "" : details.getPayloads(0).getData().toStringUtf8().replace("\"", "");
  }
}
