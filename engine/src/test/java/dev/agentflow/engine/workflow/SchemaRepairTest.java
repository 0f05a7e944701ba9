package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.scheduledInputs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reply that does not match the node's output schema was billed: it comes back to the node,
 * counts, and the model is asked again with the validation errors, instead of Temporal retrying the
 * call blindly (and uncounted).
 */
class SchemaRepairTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static String graph(String extras) {
    return """
        apiVersion: agentflow/v1
        name: repair-test
        version: 1
        models:
          m: {provider: offline, model: scripted}
        start: judge
        nodes:
          judge:
            kind: llm
            model: m
            prompt: "approve or revise?"
            outputSchema: {type: object, required: [verdict], properties: {verdict: {enum: [approve, revise]}}}
            %s
            next: done
          done: {kind: end, output: "({verdict: nodes.judge.output.verdict, tokens: usage.totalTokens})"}
        """.formatted(extras) + (extras.contains("onError") ? "  err: {kind: end, output: \"output.error\"}\n" : "");
  }

  @Test
  void should_count_a_reply_that_misses_the_schema_and_ask_the_model_to_repair_it() {
    harness = new GraphHarness(tempDir, """
        replies:
          judge:
            - content: '{"verdict": "maybe"}'
              usage: {input: 10, output: 2}
            - content: '{"verdict": "approve"}'
              usage: {input: 20, output: 2}
        """, List.of());

    WorkflowStub stub = harness.start(graph(""), "{}", "repaired");
    RunResult result = stub.getResult(RunResult.class);
    RecordedHistories.keep(harness, "repaired", "schema-repair");

    assertThat(result.output().get("verdict").asText()).isEqualTo("approve");
    assertThat(result.output().get("tokens").asLong()).as("the rejected reply counts too").isEqualTo(34);
    List<String> calls = scheduledInputs(harness.history("repaired"), "CallLlm");
    assertThat(calls).hasSize(2);
    assertThat(calls.get(1)).contains("does not match its outputSchema").contains("/verdict");
    assertThat(harness.history("repaired"))
        .as("no attempt failed and was retried by Temporal")
        .noneMatch(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_FAILED)
        .noneMatch(e -> e.hasActivityTaskStartedEventAttributes() && e.getActivityTaskStartedEventAttributes().getAttempt() > 1);
  }

  @Test
  void should_fail_with_OutputSchemaMismatch_after_the_repair_limit_having_counted_every_reply() {
    harness = new GraphHarness(tempDir, """
        replies:
          judge:
            - content: '{"verdict": "maybe"}'
              usage: {input: 10, output: 2}
        """, List.of());

    WorkflowStub stub = harness.start(graph(""), "{}", "never-repaired");

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo("OutputSchemaMismatch"));
    assertThat(scheduledInputs(harness.history("never-repaired"), "CallLlm"))
        .hasSize(1 + LlmNodeExecutor.MAX_SCHEMA_REPAIRS);
    assertThat(stub.query("progress", Progress.class).usage().total().total()).isEqualTo(36);
  }

  @Test
  void should_route_to_onError_when_the_reply_still_misses_the_schema_after_the_repairs() {
    harness = new GraphHarness(tempDir, """
        replies:
          judge:
            - content: 'not even JSON'
        """, List.of());

    RunResult result = harness.run(graph("onError: err"), "{}");

    assertThat(result.output().get("type").asText()).isEqualTo("OutputSchemaMismatch");
    assertThat(result.output().get("message").asText()).contains("is not JSON").contains("after 2 repair requests");
    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("judge", "err");
  }
}
