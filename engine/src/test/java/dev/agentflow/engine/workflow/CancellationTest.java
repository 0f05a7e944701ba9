package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A cancelled run ends CANCELED, whatever it was doing: its calls in flight and its children are
 * cancelled and awaited, no route is taken (no {@code onError}, no {@code onTimeout}), the model is
 * never told about it as a tool error, and the trace ends with the cancellation.
 */
class CancellationTest {

  @TempDir Path tempDir;

  private GraphHarness harness;
  private final TestTools.Probe probe = TestTools.probe("probe");

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static final String HEADER = """
      apiVersion: agentflow/v1
      name: cancel-test
      version: 1
      models:
        m: {provider: offline, model: scripted}
      """;

  /** Runs in real time: the slow model and tool calls must really be in flight when the run is cancelled. */
  private void harness(String script) {
    harness = new GraphHarness(tempDir, script, List.of(probe), false);
  }

  /** Waits until the run's history has an event that matches. */
  private void awaitEvent(String workflowId, Predicate<HistoryEvent> condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      if (harness.history(workflowId).stream().anyMatch(condition)) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run never got to " + what);
  }

  /**
   * Waits until an activity of the run is running. (Its started event enters history only when it
   * ends, so history cannot tell.)
   */
  private void awaitRunningActivity(String workflowId, String activityType) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      DescribeWorkflowExecutionResponse description =
          harness.client().getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
              DescribeWorkflowExecutionRequest.newBuilder()
                  .setNamespace(harness.client().getOptions().getNamespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .build());
      boolean running = description.getPendingActivitiesList().stream()
          .anyMatch(activity -> activity.getActivityType().getName().equals(activityType)
              && activity.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_STARTED);
      if (running) {
        return;
      }
      Thread.sleep(50);
    }
    throw new AssertionError(workflowId + " never ran " + activityType);
  }

  private static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(event -> event.getEventType() == type).count();
  }

  /** Index of the first event of {@code type}, or -1. */
  private static int indexOf(List<HistoryEvent> events, EventType type) {
    for (int i = 0; i < events.size(); i++) {
      if (events.get(i).getEventType() == type) {
        return i;
      }
    }
    return -1;
  }

  private void assertCancelled(WorkflowStub stub, String workflowId) {
    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .hasCauseInstanceOf(CanceledFailure.class);
    List<HistoryEvent> events = harness.history(workflowId);
    assertThat(events.get(events.size() - 1).getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED);
  }

  private TraceEntry lastTraceEntry(WorkflowStub stub) {
    List<TraceEntry> trace = stub.query("progress", Progress.class).trace();
    return trace.get(trace.size() - 1);
  }

  @Test
  void should_end_CANCELED_when_cancelled_during_a_model_call_and_call_the_model_no_more() throws Exception {
    harness("""
        replies:
          ask:
            - {content: "slow answer", delayMs: 20000, usage: {input: 10, output: 2}}
          after:
            - {content: "never asked"}
        """);
    WorkflowStub stub = harness.start(HEADER + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "take your time", next: after}
          after: {kind: llm, model: m, prompt: "next", next: done}
          done: {kind: end}
        """, "{}", "cancel-llm");
    awaitRunningActivity("cancel-llm", "CallLlm");

    stub.cancel();

    assertCancelled(stub, "cancel-llm");
    List<HistoryEvent> events = harness.history("cancel-llm");
    assertThat(count(events, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)).as("model calls").isEqualTo(1);
    assertThat(indexOf(events, EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED))
        .as("the call in flight confirmed its cancellation before the run ended")
        .isPositive()
        .isLessThan(indexOf(events, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED));
    TraceEntry last = lastTraceEntry(stub);
    assertThat(last.node()).isEqualTo("ask");
    assertThat(last.outcome()).startsWith("cancelled");
    assertThat(last.next()).isNull();
  }

  @Test
  void should_never_send_a_cancelled_tool_call_to_the_model_as_an_error() throws Exception {
    harness("""
        replies:
          agent:
            - toolCalls: [{name: probe, arguments: {ms: 20000, value: "slow"}}]
            - content: "I saw an error"
        """);
    WorkflowStub stub = harness.start(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "use the probe", tools: [probe], next: done}
          done: {kind: end}
        """, "{}", "cancel-tool");
    awaitRunningActivity("cancel-tool", "CallTool");

    stub.cancel();

    assertCancelled(stub, "cancel-tool");
    RecordedHistories.keep(harness, "cancel-tool", "cancelled-tool-loop");
    List<String> modelCalls = AgentGraphWorkflowTest.scheduledInputs(harness.history("cancel-tool"), "CallLlm");
    assertThat(modelCalls).as("no model call after the cancellation").hasSize(1);
    assertThat(count(harness.history("cancel-tool"), EventType.EVENT_TYPE_ACTIVITY_TASK_CANCELED)).isEqualTo(1);
    assertThat(lastTraceEntry(stub).node()).isEqualTo("agent");
    assertThat(lastTraceEntry(stub).outcome()).startsWith("cancelled");
  }

  @Test
  void should_not_route_a_cancelled_call_to_onError() throws Exception {
    harness("""
        replies:
          ask:
            - {content: "slow", delayMs: 20000}
        """);
    WorkflowStub stub = harness.start(HEADER + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "slow", onError: err, next: done}
          err: {kind: end, output: "'went to onError'"}
          done: {kind: end}
        """, "{}", "cancel-on-error");
    awaitRunningActivity("cancel-on-error", "CallLlm");

    stub.cancel();

    assertCancelled(stub, "cancel-on-error");
    List<TraceEntry> trace = stub.query("progress", Progress.class).trace();
    assertThat(trace).extracting(TraceEntry::node).containsExactly("ask");
    assertThat(trace.get(0).outcome()).startsWith("cancelled");
  }

  @Test
  void should_cancel_and_await_every_child_of_a_fan_out_and_count_what_they_spent() throws Exception {
    harness("""
        replies:
          first:
            - {content: "quick", usage: {input: 10, output: 2}}
          second:
            - {content: "slow", delayMs: 20000, usage: {input: 10, output: 2}}
        """);
    WorkflowStub stub = harness.start(HEADER + """
        start: each
        nodes:
          each:
            kind: map
            items: "[1, 2, 3]"
            timeout: 10m
            onTimeout: timed_out
            onBranchError: collect
            graph:
              start: first
              nodes:
                first: {kind: llm, model: m, prompt: "first ${input.item}", next: second}
                second: {kind: llm, model: m, prompt: "second ${input.item}", next: done}
                done: {kind: end}
            next: done
          timed_out: {kind: end, output: "'took onTimeout'"}
          done: {kind: end}
        """, "{}", "cancel-fan-out");
    awaitEvent("cancel-fan-out", event -> event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED,
        "its children");
    List<String> children = childIds("cancel-fan-out", 3);
    for (String child : children) {
      awaitEvent(child, event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_COMPLETED, "the first call of " + child);
      awaitRunningActivity(child, "CallLlm");
    }

    stub.cancel();

    assertCancelled(stub, "cancel-fan-out");
    RecordedHistories.keep(harness, "cancel-fan-out", "cancelled-fan-out");
    RecordedHistories.keep(harness, children.get(0), "cancelled-fan-out-child");
    List<HistoryEvent> events = harness.history("cancel-fan-out");
    assertThat(count(events, EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_CANCELED)).isEqualTo(3);
    for (String child : children) {
      assertThat(harness.client().newUntypedWorkflowStub(child).describe().getWorkflowExecutionInfo().getStatus())
          .isEqualTo(WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_CANCELED);
    }
    Progress progress = stub.query("progress", Progress.class);
    assertThat(progress.trace()).extracting(TraceEntry::node).containsExactly("each");
    assertThat(progress.trace().get(0).outcome()).startsWith("cancelled");
    assertThat(progress.usage().total().total()).as("each cancelled child reported its first call").isEqualTo(36);
  }

  @Test
  void should_end_CANCELED_when_cancelled_during_a_wait_without_taking_onTimeout() {
    harness(null);
    WorkflowStub stub = harness.start(WaitNodeTest.APPROVAL, "{}", "cancel-wait");
    GraphHarness.awaitWaitingFor(stub, "approve");

    stub.cancel();

    assertCancelled(stub, "cancel-wait");
    Progress progress = stub.query("progress", Progress.class);
    assertThat(progress.trace()).extracting(TraceEntry::node).containsExactly("approval");
    assertThat(progress.trace().get(0).outcome()).startsWith("cancelled");
    assertThat(progress.waitingFor()).isNull();
  }

  private List<String> childIds(String workflowId, int expected) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      List<String> ids = harness.history(workflowId).stream()
          .filter(HistoryEvent::hasChildWorkflowExecutionStartedEventAttributes)
          .map(e -> e.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId())
          .toList();
      if (ids.size() == expected || System.nanoTime() > deadline) {
        return ids;
      }
      Thread.sleep(50);
    }
  }
}
