package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Continue-as-new in the middle of a map node on the real server: with a low event threshold the
 * map drains and continues several times, and still every item's child run calls the model once,
 * the output keeps item order, and every run of the chain ends in continue-as-new but the last.
 */
class FanOutContinueAsNewIT {

  private static final int ITEMS = 40;

  @TempDir Path tempDir;

  @Test
  void a_map_continues_as_new_in_the_middle_and_runs_every_item_once() throws Exception {
    String queue = "fan-can-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (StubOpenAiServer stub = StubOpenAiServer.start();
        InProcessWorkers workers = InProcessWorkers.start(ItEnvironment.temporalAddress(), queue,
            "pools: {openai: {maxConcurrent: 8}}", new DirectoryBlobStore(tempDir.resolve("blobs")), List.of())) {
      stub.whenScriptEmpty(StubResponse.text("ok"));
      WorkflowStub run = workers.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          WorkflowOptions.newBuilder().setWorkflowId(queue).setTaskQueue(queue).build());
      ObjectNode input = new ObjectMapper().createObjectNode();
      IntStream.range(0, ITEMS).forEach(i -> input.withArray("items").add("item-" + i));

      WorkflowExecution execution =
          run.start(new RunRequest(TextNode.valueOf(graph(stub.baseUrl())), input, new RunOptions("fan.yaml", null, null, 60)));
      RunResult result = run.getResult(3, TimeUnit.MINUTES, RunResult.class);
      RunChain chain = RunChain.fetch(workers.client(), queue, execution.getRunId());

      List<String> outputs = IntStream.range(0, ITEMS).mapToObj(i -> result.output().get(i).asText()).toList();
      assertThat(outputs).isEqualTo(IntStream.range(0, ITEMS).mapToObj(i -> "item-" + i + ": ok").toList());
      assertThat(stub.requestCount()).as("one model call per item").isEqualTo(ITEMS);
      assertThat(result.trace()).as("continued as new inside the map at least twice (and maybe after it, between nodes)")
          .filteredOn(entry -> entry.kind().equals("continue-as-new") && entry.node().equals("each"))
          .hasSizeGreaterThanOrEqualTo(2);
      assertThat(chain.runs().subList(0, chain.runs().size() - 1)).allSatisfy(previous ->
          assertThat(previous.last().getEventType()).isEqualTo(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW));
      System.out.printf("FanOutContinueAsNewIT: %d items in %d runs, largest history %,d bytes / %,d events%n",
          ITEMS, chain.runs().size(), chain.largestBytes(), chain.largestEvents());
    }
  }

  private static String graph(String baseUrl) {
    return """
        apiVersion: agentflow/v1
        name: fan-can
        version: 1
        models:
          m: {provider: openai, model: gpt-test, baseUrl: %s, apiKey: %s, timeout: 30s}
        start: each
        nodes:
          each:
            kind: map
            items: "input.items"
            input: "({text: item})"
            maxConcurrency: 4
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "${input.text}", next: done}
                done: {kind: end, output: "input.text + ': ' + nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "nodes.each.output"}
        """.formatted(baseUrl, TestModels.KEY_REF);
  }
}
