package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentGraphWorkflowTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static final String HEADER =
      """
      apiVersion: agentflow/v1
      name: test-graph
      version: 2
      models:
        m: {provider: offline, model: scripted}
      """;

  @Test
  void should_run_the_tool_loop_until_the_model_answers() {
    TestTools.Simple counter = TestTools.counting("counter");
    harness = new GraphHarness(tempDir, """
        replies:
          agent:
            - toolCalls: [{name: counter, arguments: {n: 1}}, {name: counter, arguments: {n: 2}}]
              usage: {input: 10, output: 5}
            - content: "counted twice"
              usage: {input: 20, output: 3}
        """, List.of(counter));

    RunResult result = harness.run(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "count ${input.what}", tools: [counter], next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """, "{\"what\": \"things\"}");

    assertThat(result.output().asText()).isEqualTo("counted twice");
    assertThat(counter.calls()).isEqualTo(2);
    assertThat(result.usage().total().inputTokens()).isEqualTo(30);
    assertThat(result.usage().total().outputTokens()).isEqualTo(8);
    assertThat(result.usage().byModel()).containsOnlyKeys("m");
    assertThat(result.trace()).extracting(TraceEntry::node).containsExactly("agent", "done");
    assertThat(result.trace().get(0).inputTokens()).isEqualTo(30);
  }

  @Test
  void should_send_a_failing_tool_back_to_the_model_as_an_error_message_and_go_on() {
    harness = new GraphHarness(tempDir, """
        replies:
          agent:
            - toolCalls: [{name: broken, arguments: {}}]
            - content: "I could not use the tool"
        """, List.of(TestTools.failing("broken", "disk on fire")));

    WorkflowStub stub = harness.start(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "go", tools: [broken], next: done}
          done: {kind: end}
        """, "{}", "tool-error");

    assertThat(stub.getResult(RunResult.class).output().asText()).isEqualTo("I could not use the tool");
    String secondLlmInput = scheduledInputs(harness.history("tool-error"), "CallLlm").get(1);
    assertThat(secondLlmInput).contains("\"content\":\"Error: ").contains("disk on fire");
  }

  @Test
  void should_route_on_the_first_matching_expression_and_set_variables() {
    harness = new GraphHarness(tempDir, """
        replies:
          classify:
            - content: '{"category": "billing", "urgency": 2}'
        """, List.of());

    RunResult result = harness.run(HEADER + """
        start: classify
        nodes:
          classify:
            kind: llm
            model: m
            prompt: "classify ${input.message}"
            outputSchema: {type: object, properties: {category: {type: string}, urgency: {type: integer}}}
            set: {category: output.category, doubled: "output.urgency * 2"}
            routes:
              - {when: "output.category === 'technical'", to: technical}
              - {when: "vars.doubled === 4", to: billing}
              - {to: technical}
          technical: {kind: end, output: "'technical'"}
          billing: {kind: end, output: "({branch: 'billing', category: vars.category, doubled: vars.doubled})"}
        """, "{\"message\": \"refund please\"}");

    assertThat(result.output().get("branch").asText()).isEqualTo("billing");
    assertThat(result.output().get("category").asText()).isEqualTo("billing");
    assertThat(result.output().get("doubled").asInt()).isEqualTo(4);
  }

  @Test
  void should_render_templates_into_tool_arguments() {
    TestTools.Simple echo = TestTools.counting("recorder");
    harness = new GraphHarness(tempDir, null, List.of(echo));

    RunResult result = harness.run(HEADER + """
        start: call
        nodes:
          call:
            kind: tool
            tool: recorder
            arguments: {greeting: "hello ${input.name}", count: 3, nested: {upper: "${input.name.toUpperCase()}"}}
            next: done
          done: {kind: end, output: "nodes.call.output"}
        """, "{\"name\": \"ada\"}");

    assertThat(result.output().get("greeting").asText()).isEqualTo("hello ada");
    assertThat(result.output().get("count").asInt()).isEqualTo(3);
    assertThat(result.output().get("nested").get("upper").asText()).isEqualTo("ADA");
  }

  @Test
  void should_take_the_onMaxIterations_route_when_the_model_keeps_calling_tools() {
    TestTools.Simple counter = TestTools.counting("counter");
    harness = new GraphHarness(tempDir, """
        replies:
          agent:
            - toolCalls: [{name: counter, arguments: {}}]
        """, List.of(counter));

    RunResult result = harness.run(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "loop", tools: [counter], maxIterations: 3, onMaxIterations: stopped, next: done}
          done: {kind: end, output: "'finished'"}
          stopped: {kind: end, output: "({stopped: output.reason, iterations: output.iterations})"}
        """, "{}");

    assertThat(result.output().get("stopped").asText()).isEqualTo("maxIterations");
    assertThat(result.output().get("iterations").asInt()).isEqualTo(3);
    assertThat(counter.calls()).isEqualTo(3);
    assertThat(result.trace().get(0).outcome()).isEqualTo("max iterations");
  }

  @Test
  void should_fail_with_MaxIterationsReached_when_there_is_no_route_for_it() {
    harness = new GraphHarness(tempDir, """
        replies:
          agent:
            - toolCalls: [{name: counter, arguments: {}}]
        """, List.of(TestTools.counting("counter")));

    assertThatThrownBy(() -> harness.run(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "loop", tools: [counter], maxIterations: 2, next: done}
          done: {kind: end}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.MAX_ITERATIONS_REACHED));
  }

  @Test
  void should_reject_an_input_that_does_not_match_the_input_schema() {
    harness = new GraphHarness(tempDir, null, List.of());

    assertThatThrownBy(() -> harness.run(HEADER + """
        input: {type: object, required: [topic], properties: {topic: {type: string}}}
        start: done
        nodes:
          done: {kind: end, output: "input.topic"}
        """, "{\"topic\": 42}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_INPUT))
        .satisfies(e -> assertThat(rootMessage(e)).contains("/topic"));
  }

  @Test
  void should_reject_an_invalid_definition_started_by_any_client() {
    harness = new GraphHarness(tempDir, null, List.of());

    assertThatThrownBy(() -> harness.run(HEADER + """
        start: missing
        nodes:
          done: {kind: end}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_DEFINITION))
        .satisfies(e -> assertThat(rootMessage(e)).contains("missing"));
  }

  @Test
  void should_fail_the_run_cleanly_when_an_expression_loops_forever() {
    harness = new GraphHarness(tempDir, null, List.of());

    assertThatThrownBy(() -> harness.run(HEADER + """
        start: done
        nodes:
          done: {kind: end, output: "(() => { while (true) {} })()"}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.EXPRESSION_ERROR))
        .satisfies(e -> assertThat(rootMessage(e)).contains("node 'done'"));
  }

  @Test
  void should_refuse_host_access_from_an_expression() {
    harness = new GraphHarness(tempDir, null, List.of());

    assertThatThrownBy(() -> harness.run(HEADER + """
        start: done
        nodes:
          done: {kind: end, output: "Java.type('java.lang.System').exit(1)"}
        """, "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.EXPRESSION_ERROR));
  }

  @Test
  void should_keep_workflow_history_flat_when_a_long_tool_loop_returns_large_results() {
    TestTools.Simple big = TestTools.large("big", 20_000);
    StringBuilder script = new StringBuilder("replies:\n  agent:\n");
    for (int i = 0; i < 49; i++) {
      script.append("    - toolCalls: [{name: big, arguments: {page: ").append(i).append("}}]\n");
    }
    script.append("    - content: \"read everything\"\n");
    harness = new GraphHarness(tempDir, script.toString(), List.of(big));

    WorkflowStub stub = harness.start(HEADER + """
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "read all pages", tools: [big], maxIterations: 50, next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """, "{}", "flat-history");

    assertThat(stub.getResult(RunResult.class).output().asText()).isEqualTo("read everything");
    assertThat(big.calls()).isEqualTo(49);
    List<HistoryEvent> events = harness.history("flat-history");
    assertThat(events).allSatisfy(event -> assertThat(event.getSerializedSize()).isLessThan(16 * 1024));
  }

  @Test
  void should_answer_the_progress_query_with_the_trace() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "hi"
        """, List.of());

    WorkflowStub stub = harness.start(HEADER + """
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end}
        """, "{}", "progress-query");
    stub.getResult(RunResult.class);

    Progress progress = stub.query("progress", Progress.class);
    assertThat(progress.graph()).isEqualTo("test-graph");
    assertThat(progress.version()).isEqualTo(2);
    assertThat(progress.currentNode()).isNull();
    assertThat(progress.trace()).extracting(TraceEntry::node).containsExactly("ask", "done");
  }

  static List<String> scheduledInputs(List<HistoryEvent> events, String activityType) {
    return events.stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
        .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
        .filter(a -> a.getActivityType().getName().equals(activityType))
        .map(a -> a.getInput().getPayloads(0).getData().toStringUtf8())
        .toList();
  }

  static String failureType(Throwable e) {
    Throwable current = e;
    while (current != null) {
      if (current instanceof ApplicationFailure application) {
        return application.getType();
      }
      current = current.getCause();
    }
    return null;
  }

  static String rootMessage(Throwable e) {
    Throwable current = e;
    while (current != null) {
      if (current instanceof ApplicationFailure application) {
        return application.getOriginalMessage();
      }
      current = current.getCause();
    }
    return String.valueOf(e);
  }
}
