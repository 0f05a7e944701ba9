package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.blob.InlineBlobStore;
import dev.agentflow.engine.llm.LlmActivities;
import dev.agentflow.engine.testing.AgentLoopModel;
import dev.agentflow.engine.testing.BigResultTool;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.engine.tool.ToolActivities;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Long conversations stay inside Temporal's limits: a 500-iteration agent whose tool returns 20 KB
 * each time completes on the real server, continuing as new on the way, and no run's history
 * passes 4 MiB (Temporal's continue-as-new suggestion). The same graph with references turned off
 * (the inline store: the conversation and every tool result by value, as a plain Temporal agent
 * workflow passes them) fails the way Temporal fails such a workflow: a payload passes the 2 MiB
 * limit and the server ends the run. Which payload comes first decides how: an activity result over
 * the limit is failed by the server ("Complete result exceeds size limit", the run fails), a
 * continue-as-new input over it gets the run terminated ("Input exceeds size limit"). Measured:
 * after 45 of the 500 tool results, on the checkpoint the run stores before continuing as new.
 */
class StateSizeIT {

  private static final int ITERATIONS = 500;
  private static final long FOUR_MIB = 4L << 20;
  private static final String CONFIG = "pools: {openai: {maxConcurrent: 4}}";

  @TempDir Path tempDir;

  @Test
  void a_500_iteration_agent_with_20_kb_tool_results_completes_and_no_history_passes_4_mib() throws Exception {
    try (AgentLoopModel model = AgentLoopModel.start()) {
      model.reset(ITERATIONS, Duration.ZERO);
      Outcome outcome = run(model, new DirectoryBlobStore(tempDir.resolve("blobs")), "by-reference");

      assertThat(outcome.failure()).as("the run completes").isNull();
      assertThat(outcome.result().output().asText()).isEqualTo("done");
      assertThat(model.mostToolResults()).isEqualTo(ITERATIONS);
      assertThat(outcome.chain().scheduled(ToolActivities.CALL_TOOL)).as("each tool call once").isEqualTo(ITERATIONS);
      assertThat(outcome.chain().continuations()).as("continued as new on the way").isGreaterThanOrEqualTo(1);
      assertThat(outcome.chain().runs()).allSatisfy(run -> assertThat(run.bytes()).isLessThanOrEqualTo(FOUR_MIB));
    }
  }

  @Test
  void the_same_agent_with_references_turned_off_fails_at_temporals_payload_limit() throws Exception {
    try (AgentLoopModel model = AgentLoopModel.start()) {
      model.reset(ITERATIONS, Duration.ZERO);
      Outcome outcome = run(model, new InlineBlobStore(), "by-value");

      assertThat(outcome.failure()).as("the run fails").isNotNull();
      assertThat(outcome.chain().end().getEventType()).as("the server fails or terminates it")
          .isIn(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED, EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED);
      assertThat(causes(outcome.failure())).as("for a payload over Temporal's size limit")
          .anyMatch(message -> message.contains("exceeds size limit"));
      assertThat(model.mostToolResults()).as("it got nowhere near the end").isLessThan(ITERATIONS / 2);
      assertThat(outcome.chain().scheduled(LlmActivities.CALL_LLM)).isGreaterThan(10);
    }
  }

  private record Outcome(RunResult result, WorkflowFailedException failure, RunChain chain, double seconds) {}

  private Outcome run(AgentLoopModel model, BlobStore blobs, String label) throws Exception {
    String queue = "state-size-" + label + "-" + UUID.randomUUID().toString().substring(0, 8);
    try (InProcessWorkers workers =
        InProcessWorkers.start(ItEnvironment.temporalAddress(), queue, CONFIG, blobs, List.of(new BigResultTool()))) {
      WorkflowClient client = workers.client();
      WorkflowStub stub = client.newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          WorkflowOptions.newBuilder().setWorkflowId(queue).setTaskQueue(queue).build());
      long started = System.nanoTime();
      WorkflowExecution execution = stub.start(
          new RunRequest(TextNode.valueOf(graph(model.baseUrl())), new ObjectMapper().createObjectNode(), new RunOptions("long-agent.yaml", null)));
      RunResult result = null;
      WorkflowFailedException failure =
          catchThrowableOfType(WorkflowFailedException.class, () -> stub.getResult(15, TimeUnit.MINUTES, RunResult.class));
      if (failure == null) {
        result = stub.getResult(RunResult.class);
      }
      double seconds = (System.nanoTime() - started) / 1e9;
      RunChain chain = RunChain.fetch(client, queue, execution.getRunId());
      System.out.printf(
          "StateSizeIT %s: %s after %d tool results in %.1f s; %d runs (continued as new %d times); "
              + "largest history %,d bytes / %,d events; all runs %,d bytes; %s%n",
          label, failure == null ? "completed" : "failed", model.mostToolResults(), seconds, chain.runs().size(),
          chain.continuations(), chain.largestBytes(), chain.largestEvents(), chain.totalBytes(),
          failure == null ? "" : String.join(" <- ", causes(failure)));
      return new Outcome(result, failure, chain, seconds);
    }
  }

  private static List<String> causes(Throwable failure) {
    List<String> messages = new ArrayList<>();
    for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
      messages.add(cause.getClass().getSimpleName() + ": " + cause.getMessage());
    }
    return messages;
  }

  private static String graph(String baseUrl) {
    return """
        apiVersion: agentflow/v1
        name: long-agent
        version: 1
        models:
          m: {provider: openai, model: loop, baseUrl: %s, apiKey: %s, timeout: 60s}
        start: agent
        nodes:
          agent: {kind: llm, model: m, system: "You are a long-running agent.", prompt: "work", tools: [%s], maxIterations: %d, next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """.formatted(baseUrl, TestModels.KEY_REF, AgentLoopModel.TOOL, ITERATIONS + 1);
  }
}
