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
import io.temporal.client.WorkflowUpdateException;
import dev.agentflow.engine.testing.Replay;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WaitNodeTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  static final String APPROVAL =
      """
      apiVersion: agentflow/v1
      name: wait-graph
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: approval
      nodes:
        approval:
          kind: wait
          event: approve
          payload:
            type: object
            required: [approved]
            properties: {approved: {type: boolean}, comment: {type: string}}
          timeout: 48h
          onTimeout: expired
          set: {comment: output.payload.comment}
          routes:
            - {when: "output.payload.approved", to: shipped}
            - {to: refused}
        shipped: {kind: end, output: "({result: 'shipped', comment: vars.comment, via: nodes.approval.output.via})"}
        refused: {kind: end, output: "({result: 'refused', via: nodes.approval.output.via})"}
        expired: {kind: end, output: "({result: 'expired', timedOut: output.timedOut})"}
      """;

  @Test
  void should_continue_and_route_on_the_payload_of_a_signal() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "signal-ok");
    GraphHarness.awaitWaitingFor(stub, "approve");

    stub.signal("approve", GraphHarness.json("{\"approved\": false}"));

    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"result\": \"refused\", \"via\": \"signal\"}"));
    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("approval", "refused");
  }

  @Test
  void should_record_a_signal_with_a_wrong_payload_as_rejected_and_keep_waiting() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "signal-bad");
    GraphHarness.awaitWaitingFor(stub, "approve");

    stub.signal("approve", GraphHarness.json("{\"approved\": \"yes\"}"));
    awaitTraceSize(stub, 1);
    assertThat(stub.query("progress", Progress.class).waitingFor()).isEqualTo("approve");
    stub.signal("approve", GraphHarness.json("{\"approved\": true, \"comment\": \"ship it\"}"));

    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.output().get("result").asText()).isEqualTo("shipped");
    assertThat(result.output().get("comment").asText()).isEqualTo("ship it");
    assertThat(result.trace()).extracting(TraceEntry::outcome)
        .containsExactly("rejected signal 'approve': /approved: expected boolean, got string", "ok", "ok");
    assertThat(result.trace()).extracting(TraceEntry::kind).containsExactly("signal", "wait", "end");
  }

  @Test
  void should_accept_a_valid_update_and_answer_with_the_node_that_took_it() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "update-ok");
    GraphHarness.awaitWaitingFor(stub, "approve");

    JsonNode answer = stub.update("approve", JsonNode.class, GraphHarness.json("{\"approved\": true, \"comment\": \"go\"}"));

    assertThat(answer).isEqualTo(GraphHarness.json("{\"accepted\": true, \"node\": \"approval\"}"));
    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"result\": \"shipped\", \"comment\": \"go\", \"via\": \"update\"}"));
  }

  @Test
  void should_reject_an_update_with_a_bad_payload_in_its_validator_and_leave_nothing_in_history() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "update-bad");
    GraphHarness.awaitWaitingFor(stub, "approve");
    int eventsBefore = harness.history("update-bad").size();

    assertThatThrownBy(() -> stub.update("approve", JsonNode.class, GraphHarness.json("{\"comment\": 7}")))
        .isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.UPDATE_REJECTED))
        .satisfies(e -> assertThat(rootMessage(e))
            .contains("update 'approve' rejected")
            .contains("/approved: required property missing")
            .contains("/comment: expected string, got integer"));

    assertNothingRecordedSince(harness.history("update-bad"), eventsBefore, "comment");
    assertThat(stub.query("progress", Progress.class).waitingFor()).isEqualTo("approve");
    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));
    assertThat(stub.getResult(RunResult.class).output().get("result").asText()).isEqualTo("shipped");
  }

  @Test
  void should_reject_an_update_for_an_event_the_run_is_not_waiting_for() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "update-not-waiting");
    GraphHarness.awaitWaitingFor(stub, "approve");
    int eventsBefore = harness.history("update-not-waiting").size();

    assertThatThrownBy(() -> stub.update("publish", JsonNode.class, GraphHarness.json("{}")))
        .isInstanceOf(WorkflowUpdateException.class)
        .satisfies(e -> assertThat(rootMessage(e))
            .contains("the run is waiting for 'approve' at node 'approval', not for 'publish'"));

    assertNothingRecordedSince(harness.history("update-not-waiting"), eventsBefore, "publish");
    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));
    stub.getResult(RunResult.class);
    assertThatThrownBy(() -> stub.update("approve", JsonNode.class, GraphHarness.json("{\"approved\": true}")))
        .isInstanceOf(RuntimeException.class);
  }

  @Test
  void should_take_the_timeout_route_after_48_hours_with_one_durable_timer_and_no_polling() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "wait-timeout");
    long started = System.nanoTime();

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"result\": \"expired\", \"timedOut\": true}"));
    assertThat(result.trace().get(0).outcome()).isEqualTo("timed out after 48h");
    assertThat(result.trace().get(0).durationMillis()).isBetween(48L * 3600 * 1000, 48L * 3600 * 1000 + 1000);
    assertThat(count(harness.history("wait-timeout"), EventType.EVENT_TYPE_TIMER_STARTED)).isEqualTo(1);
    assertThat(count(harness.history("wait-timeout"), EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED)).isEqualTo(2);
    assertThat(System.nanoTime() - started).isLessThan(java.util.concurrent.TimeUnit.SECONDS.toNanos(20));
  }

  @Test
  void should_fail_with_WaitTimedOut_when_the_wait_has_no_onTimeout_route() {
    harness = new GraphHarness(tempDir, null, List.of());

    assertThatThrownBy(() -> harness.run("""
        apiVersion: agentflow/v1
        name: wait-graph
        version: 1
        models:
          m: {provider: offline, model: scripted}
        start: approval
        nodes:
          approval: {kind: wait, event: approve, timeout: 2h, next: done}
          done: {kind: end}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.WAIT_TIMED_OUT))
        .satisfies(e -> assertThat(rootMessage(e)).contains("'approval'").contains("'approve'").contains("within 2h "));
  }

  @Test
  void should_consume_a_signal_sent_before_the_wait_node_is_reached() {
    harness = new GraphHarness(tempDir, """
        replies:
          draft:
            - content: "the draft"
        """, List.of());
    WorkflowStub stub = harness.start("""
        apiVersion: agentflow/v1
        name: early-signal
        version: 1
        models:
          m: {provider: offline, model: scripted}
        start: draft
        nodes:
          draft: {kind: llm, model: m, prompt: "write", next: approval}
          approval: {kind: wait, event: approve, payload: {type: object, required: [approved]}, next: done}
          done: {kind: end, output: "({draft: nodes.draft.output, approval: nodes.approval.output})"}
        """, "{}", "early-signal");

    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));

    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.output()).isEqualTo(GraphHarness.json("""
        {"draft": "the draft", "approval": {"event": "approve", "payload": {"approved": true}, "via": "signal"}}"""));
    assertThat(count(harness.history("early-signal"), EventType.EVENT_TYPE_TIMER_STARTED)).isZero();
  }

  @Test
  void should_record_a_signal_nothing_waits_for_as_rejected() {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "signal-unknown");
    GraphHarness.awaitWaitingFor(stub, "approve");

    stub.signal("launch", GraphHarness.json("{}"));
    awaitTraceSize(stub, 1);
    stub.signal("approve", GraphHarness.json("{\"approved\": true}"));

    RunResult result = stub.getResult(RunResult.class);
    assertThat(result.trace().get(0).outcome()).startsWith("rejected signal 'launch': nothing in this graph waits for it");
  }

  @Test
  void should_replay_a_recorded_wait_run_with_rejected_and_accepted_events() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of());
    WorkflowStub stub = harness.start(APPROVAL, "{}", "wait-replay");
    GraphHarness.awaitWaitingFor(stub, "approve");
    stub.signal("approve", GraphHarness.json("{\"approved\": 1}"));
    assertThatThrownBy(() -> stub.update("approve", JsonNode.class, GraphHarness.json("{}")))
        .isInstanceOf(WorkflowUpdateException.class);
    stub.update("approve", JsonNode.class, GraphHarness.json("{\"approved\": true}"));
    stub.getResult(RunResult.class);

    Replay.check(harness.client().fetchHistory("wait-replay"));
  }

  /**
   * A rejected update leaves no event on a real server (its workflow task is speculative). The
   * in-memory test server does persist that workflow task, so the check allows empty workflow
   * task events and nothing else: no update event, no trace of the payload.
   */
  static void assertNothingRecordedSince(List<HistoryEvent> events, int before, String payloadText) {
    List<HistoryEvent> added = events.subList(before, events.size());
    assertThat(added).extracting(HistoryEvent::getEventType).allMatch(type -> type == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        || type == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED || type == EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED);
    assertThat(added.toString()).doesNotContain(payloadText);
  }

  static long count(List<HistoryEvent> events, EventType type) {
    return events.stream().filter(e -> e.getEventType() == type).count();
  }

  static void awaitTraceSize(WorkflowStub stub, int size) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.SECONDS.toNanos(20);
    while (stub.query("progress", Progress.class).trace().size() < size) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the trace never reached " + size + " entries");
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
    }
  }
}
