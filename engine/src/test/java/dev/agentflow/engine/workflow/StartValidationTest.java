package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.GraphDefinition;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run checks its definition once, when it starts, and records the verdict; later workflow tasks
 * and replays only bind. So a stricter check added after a run started (or a library upgrade that
 * changes what the checks say) never breaks that run or its replay.
 */
class StartValidationTest {

  private static final String GRAPH = """
      apiVersion: agentflow/v1
      name: checked-once
      version: 1
      input: {type: object, required: [word], properties: {word: {type: string}}}
      start: shout
      nodes:
        shout: {kind: tool, tool: echo, arguments: {text: "${input.word}!"}, next: approval}
        approval: {kind: wait, event: go, next: done}
        done: {kind: end, output: "nodes.shout.output.text"}
      """;

  /** A stricter policy a later version might add: no wait nodes. It counts how often it runs. */
  static final class NoWaitNodes implements StartValidator {
    final AtomicInteger checks = new AtomicInteger();

    @Override
    public StartVerdict checkDefinition(JsonNode definition, JsonNode input, String sourceName) {
      checks.incrementAndGet();
      StartVerdict standard = StartValidator.STANDARD.checkDefinition(definition, input, sourceName);
      if (!standard.valid()) {
        return standard;
      }
      return definition.toString().contains("kind: wait")
          ? StartVerdict.rejected(FailureTypes.INVALID_DEFINITION, "wait nodes are not allowed here")
          : StartVerdict.VALID;
    }

    @Override
    public StartVerdict checkInput(GraphDefinition graph, JsonNode input) {
      checks.incrementAndGet();
      return StartValidator.STANDARD.checkInput(graph, input);
    }
  }

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

  private WorkflowExecutionHistory recordedRun(String workflowId) {
    var stub = harness.start(GRAPH, "{\"word\": \"hey\"}", workflowId);
    GraphHarness.awaitWaitingFor(stub, "go");
    stub.signal("go", GraphHarness.json("{}"));
    assertThat(stub.getResult(RunResult.class).output().asText()).isEqualTo("hey!");
    return harness.client().fetchHistory(workflowId);
  }

  /** Replays with {@code validator} installed, as a worker with that policy would. */
  private static void replayWith(WorkflowExecutionHistory history, StartValidator validator) throws Exception {
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance()) {
      Worker worker = environment.newWorker("replay");
      worker.registerWorkflowImplementationFactory(AgentGraphWorkflow.class, () -> new AgentGraphWorkflowImpl(validator));
      WorkflowReplayer.replayWorkflowExecution(history, worker);
    }
  }

  @Test
  void should_record_the_verdict_of_the_start_checks_once_as_a_side_effect() {
    WorkflowExecutionHistory history = recordedRun("checked-once");

    // the verdict is {failureType, message}; the run's other side effect is the worker's search-attribute choice
    List<HistoryEvent> sideEffects = history.getEvents().stream()
        .filter(e -> e.hasMarkerRecordedEventAttributes()
            && e.getMarkerRecordedEventAttributes().getMarkerName().equals("SideEffect")
            && e.getMarkerRecordedEventAttributes().getDetailsMap().values().stream()
                .anyMatch(payloads -> payloads.getPayloadsList().stream()
                    .anyMatch(payload -> payload.getData().toStringUtf8().contains("\"failureType\""))))
        .toList();
    assertThat(sideEffects).hasSize(1);
    assertThat(sideEffects.get(0).getEventId()).isLessThan(10);
  }

  @Test
  void should_replay_a_run_that_a_stricter_validator_now_rejects_without_running_it() throws Exception {
    WorkflowExecutionHistory history = recordedRun("before-the-rule");
    NoWaitNodes stricter = new NoWaitNodes();

    replayWith(history, stricter);

    assertThat(stricter.checks).hasValue(0);
  }

  @Test
  void should_refuse_a_new_run_with_the_stricter_validator_so_the_rule_is_real() throws Exception {
    NoWaitNodes stricter = new NoWaitNodes();
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance()) {
      RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
      Worker worker = environment.newWorker(AgentGraphWorkflow.TASK_QUEUE);
      worker.registerWorkflowImplementationFactory(AgentGraphWorkflow.class, () -> new AgentGraphWorkflowImpl(stricter));
      environment.start();
      var stub = environment.getWorkflowClient().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId("after-the-rule")
              .setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
      stub.start(new RunRequest(com.fasterxml.jackson.databind.node.TextNode.valueOf(GRAPH),
          GraphHarness.json("{\"word\": \"hey\"}"), new RunOptions("checked.yaml", null)));

      assertThatThrownBy(() -> stub.getResult(RunResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_DEFINITION))
          .satisfies(e -> assertThat(rootMessage(e)).isEqualTo("wait nodes are not allowed here"));
      assertThat(stricter.checks).hasValue(1);
    }
  }

  @Test
  void should_fail_with_the_recorded_problems_when_the_input_is_refused_at_the_start() {
    assertThatThrownBy(() -> harness.run(GRAPH, "{\"word\": 7}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_INPUT))
        .satisfies(e -> assertThat(rootMessage(e)).contains("the input does not match the input schema of 'checked-once'"));
  }

  @Test
  void should_check_a_child_run_input_only_and_a_continued_run_not_at_all() {
    String child = GRAPH.replace("approval: {kind: wait, event: go, next: done}", "approval: {kind: end, output: \"'ok'\"}");
    RunRequest request = new RunRequest(com.fasterxml.jackson.databind.node.TextNode.valueOf(child),
        GraphHarness.json("{\"word\": 7}"), new RunOptions("child.yaml", null));

    assertThatThrownBy(() -> harness.startAsChild(request, "child-input").getResult(RunResult.class))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_INPUT));
    List<HistoryEvent> childEvents = harness.history("child-input-child");
    assertThat(childEvents).filteredOn(e -> e.hasMarkerRecordedEventAttributes()
        && e.getMarkerRecordedEventAttributes().getMarkerName().equals("SideEffect")).hasSize(1);
  }
}
