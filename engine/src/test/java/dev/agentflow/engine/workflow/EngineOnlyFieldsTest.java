package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.Budget;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A checkpoint and a parent's budget are accepted only from the engine: a run continued as new
 * from an AgentGraph run, or a child run. From any other client they are a non-retryable
 * InvalidInput naming the field, before the run does anything.
 */
class EngineOnlyFieldsTest {

  private static final String GATE = """
      apiVersion: agentflow/v1
      name: gate
      version: 1
      start: approval
      nodes:
        approval: {kind: wait, event: approve, next: shipped}
        shipped: {kind: end, output: "'shipped'"}
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

  /** Starts {@code request} (any JSON) the way any Temporal client can, and returns its failure. */
  private WorkflowFailedException externalRun(Object request, String workflowId) {
    WorkflowStub stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(request);
    return catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(RunResult.class));
  }

  /** A request that skips the approval: it claims to resume at the end, as a checkpoint would. */
  private static ObjectNode forgedResume() {
    ObjectNode request = GraphHarness.JSON.createObjectNode();
    request.put("definition", GATE);
    request.putObject("input");
    ObjectNode resume = request.putObject("resume");
    resume.put("node", "shipped");
    resume.put("continuations", 1);
    resume.putObject("nodes").putObject("approval").putObject("output").put("approved", true);
    resume.putObject("vars");
    resume.putObject("visits");
    resume.putObject("llmCalls");
    resume.putObject("usageByModel");
    resume.putObject("costByModel");
    resume.putArray("trace");
    return request;
  }

  @Test
  void should_refuse_resume_from_an_external_client_before_doing_anything() {
    WorkflowFailedException failure = externalRun(forgedResume(), "forged-resume");

    assertThat(failure).isNotNull();
    assertThat(failureType(failure)).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(rootMessage(failure)).startsWith("the run input sets 'resume', which only the engine sets");
    assertThat(harness.history("forged-resume")).noneMatch(HistoryEvent::hasActivityTaskScheduledEventAttributes);
  }

  @Test
  void should_refuse_a_forged_continued_from_even_with_a_run_id() {
    ObjectNode request = forgedResume();
    request.put("continuedFrom", "00000000-0000-0000-0000-000000000000");

    WorkflowFailedException failure = externalRun(request, "forged-continued-from");

    assertThat(failureType(failure)).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(rootMessage(failure)).startsWith("the run input sets 'resume', 'continuedFrom', which only the engine sets");
  }

  @Test
  void should_refuse_a_resume_ref_without_loading_the_blob() {
    ObjectNode request = GraphHarness.JSON.createObjectNode();
    request.put("definition", GATE);
    request.put("resumeRef", "sha256:" + "a".repeat(64));

    WorkflowFailedException failure = externalRun(request, "forged-resume-ref");

    assertThat(failureType(failure)).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(rootMessage(failure)).contains("'resumeRef'");
    assertThat(harness.history("forged-resume-ref")).noneMatch(HistoryEvent::hasActivityTaskScheduledEventAttributes);
  }

  @Test
  void should_refuse_a_budget_limit_from_an_external_client() {
    RunRequest request = new RunRequest(TextNode.valueOf(GATE), GraphHarness.json("{}"),
        new RunOptions("gate.yaml", null, new Budget(1_000_000L, null, Budget.OnExceed.FAIL)));

    WorkflowFailedException failure = externalRun(request, "forged-budget");

    assertThat(failureType(failure)).isEqualTo(FailureTypes.INVALID_INPUT);
    assertThat(rootMessage(failure)).contains("'options.budgetLimit'");
  }

  @Test
  void should_accept_a_budget_limit_from_a_parent_run() {
    String graph = GATE.replace("start: approval", "start: shipped");
    RunRequest request = new RunRequest(TextNode.valueOf(graph), GraphHarness.json("{}"),
        new RunOptions("child.yaml", null, new Budget(1_000L, null, Budget.OnExceed.FAIL)));

    RunResult result = harness.startAsChild(request, "budget-parent").getResult(RunResult.class);

    assertThat(result.output().asText()).isEqualTo("shipped");
  }

  @Test
  void should_accept_the_checkpoint_of_a_run_that_continued_as_new_and_name_the_run_it_came_from() throws Exception {
    String loop = """
        apiVersion: agentflow/v1
        name: loop
        version: 1
        start: step
        nodes:
          step: {kind: tool, tool: echo, arguments: {n: "${visits.step}"}, routes: [{when: "visits.step < 12", to: step}, {to: done}]}
          done: {kind: end, output: "visits.step"}
        """;

    RunResult result = harness.start(loop, "{}", "continued-loop", new RunOptions("loop.yaml", null, null, 20))
        .getResult(RunResult.class);

    assertThat(result.output().asInt()).isEqualTo(12);
    List<WorkflowExecutionHistory> chain = harness.chain("continued-loop");
    assertThat(chain).hasSizeGreaterThanOrEqualTo(2);
    for (int i = 1; i < chain.size(); i++) {
      var started = chain.get(i).getEvents().get(0).getWorkflowExecutionStartedEventAttributes();
      RunRequest input = GraphHarness.JSON.readValue(
          started.getInput().getPayloads(0).getData().toStringUtf8(), RunRequest.class);
      assertThat(input.resume()).isNotNull();
      assertThat(input.continuedFrom()).isNotBlank().isEqualTo(started.getContinuedExecutionRunId());
    }
  }
}
