package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReviewAndSubgraphTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  private static final String REVIEW_GRAPH =
      """
      apiVersion: agentflow/v1
      name: review-test
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: research
      nodes:
        research: {kind: llm, model: m, prompt: "research ${input.topic}", next: refine}
        refine:
          kind: review
          author: {model: m, prompt: "write about ${input.topic} (round ${review.round}) ${review.feedback ?? ''}"}
          reviewer:
            model: m
            prompt: "review: ${review.draft}"
            outputSchema: {type: object, properties: {verdict: {type: string}, feedback: {type: string}}}
          approved: "output.verdict === 'approve'"
          feedback: "output.feedback"
          maxRounds: %d
          %s
          next: done
        done: {kind: end, output: "nodes.refine.output"}
      """;

  private static final String ESCALATE = "  escalate: {kind: end, output: \"({escalated: true, rounds: output.rounds})\"}\n";

  private static final String SCRIPT =
      """
      replies:
        research:
          - content: "notes"
        refine.author:
          - content: "draft one"
          - content: "draft two"
          - content: "draft three"
        refine.reviewer:
          - content: '{"verdict": "revise", "feedback": "cite sources"}'
          - content: '{"verdict": "approve"}'
      """;

  @Test
  void should_loop_back_to_the_author_with_feedback_until_approved() {
    harness = new GraphHarness(tempDir, SCRIPT, List.of());
    WorkflowStub stub = harness.start(REVIEW_GRAPH.formatted(3, ""), "{\"topic\": \"tides\"}", "review-approved");
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().get("draft").asText()).isEqualTo("draft two");
    assertThat(result.output().get("approved").asBoolean()).isTrue();
    assertThat(result.output().get("rounds").asInt()).isEqualTo(2);
    List<String> llmInputs = AgentGraphWorkflowTest.scheduledInputs(harness.history("review-approved"), "CallLlm");
    assertThat(llmInputs).hasSize(5);
    assertThat(llmInputs.stream().filter(i -> i.contains("\"nodeId\":\"research\""))).hasSize(1);
    assertThat(llmInputs.get(3)).contains("round 2").contains("cite sources");
  }

  @Test
  void should_stop_at_maxRounds_and_take_the_onMaxRounds_route() {
    harness = new GraphHarness(tempDir, SCRIPT.replace("'{\"verdict\": \"approve\"}'", "'{\"verdict\": \"revise\", \"feedback\": \"still no\"}'"), List.of());
    WorkflowStub stub = harness.start(REVIEW_GRAPH.formatted(2, "onMaxRounds: escalate") + ESCALATE, "{\"topic\": \"tides\"}", "review-max");
    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output().get("escalated").asBoolean()).isTrue();
    assertThat(result.output().get("rounds").asInt()).isEqualTo(2);
    assertThat(AgentGraphWorkflowTest.scheduledInputs(harness.history("review-max"), "CallLlm")).hasSize(5);
  }

  @Test
  void should_run_a_pinned_subgraph_as_a_child_run() throws Exception {
    Path child = tempDir.resolve("child.yaml");
    Files.writeString(child, """
        apiVersion: agentflow/v1
        name: child
        version: 4
        input: {type: object, required: [word], properties: {word: {type: string}}}
        start: shout
        nodes:
          shout: {kind: end, output: "input.word.toUpperCase() + '!'"}
        """);
    Path parent = tempDir.resolve("parent.yaml");
    Files.writeString(parent, """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        start: call
        nodes:
          call: {kind: subgraph, graph: {path: ./child.yaml}, input: "({word: input.word})", next: done}
          done: {kind: end, output: "({child: nodes.call.output})"}
        """);
    LoadedDefinition loaded = DefinitionLoader.withoutToolCheck().load(parent);
    Files.delete(child);
    harness = new GraphHarness(tempDir, null, List.of());

    WorkflowStub stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId("subgraph").setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(new RunRequest(GraphHarness.json(loaded.canonicalJson()), GraphHarness.json("{\"word\": \"hey\"}"), null));

    assertThat(stub.getResult(RunResult.class).output().get("child").asText()).isEqualTo("HEY!");
  }

  @Test
  void should_reject_a_subgraph_path_that_does_not_exist() throws Exception {
    Path parent = tempDir.resolve("parent.yaml");
    Files.writeString(parent, """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        start: call
        nodes:
          call: {kind: subgraph, graph: {path: ./missing.yaml}, next: done}
          done: {kind: end}
        """);

    assertThatThrownBy(() -> DefinitionLoader.withoutToolCheck().load(parent))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("missing.yaml");
  }
}
