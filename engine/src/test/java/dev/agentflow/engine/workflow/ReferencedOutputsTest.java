package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.ToolContext;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A tool output over 2 KiB is stored by reference, yet {@code ${nodes.fetch.output.body}} renders
 * the body: expressions read stored outputs as their values (loaded through an activity), up to a
 * cap, above which the run fails naming the node, the path and the size, never an empty string.
 */
class ReferencedOutputsTest {

  @TempDir Path tempDir;

  private GraphHarness harness;

  @AfterEach
  void close() {
    if (harness != null) {
      harness.close();
    }
  }

  /** {@code fetch} returns {@code {status: 200, body: <size characters>}}; {@code size} is its argument. */
  private static TestTools.Simple fetchTool() {
    return new TestTools.Simple("fetch") {
      @Override
      public JsonNode call(ToolContext context) {
        calls.incrementAndGet();
        ObjectNode page = GraphHarness.JSON.createObjectNode();
        page.put("status", 200);
        page.put("body", "<p>" + "y".repeat(context.arguments().path("size").asInt() - 7) + "</p>");
        return page;
      }
    };
  }

  private static String graph(int size) {
    return """
        apiVersion: agentflow/v1
        name: large-page
        version: 1
        start: fetch
        nodes:
          fetch:
            kind: tool
            tool: fetch
            arguments: {size: %d}
            set: {status: "output.status"}
            next: render
          render: {kind: tool, tool: echo, arguments: {text: "body=${nodes.fetch.output.body}"}, next: done}
          done:
            kind: end
            output: "({length: nodes.render.output.text.length, tail: nodes.render.output.text.slice(-8), status: vars.status, dynamic: nodes[['fe', 'tch'].join('')].output.body.length})"
        """.formatted(size);
  }

  @Test
  void should_read_a_tool_output_stored_by_reference_as_its_value() throws Exception {
    harness = new GraphHarness(tempDir, null, List.of(fetchTool()));
    WorkflowStub stub = harness.start(graph(20_000), "{}", "large-page");

    RunResult result = stub.getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json(
        "{\"length\": 20005, \"tail\": \"yyyy</p>\", \"status\": 200, \"dynamic\": 20000}"));
    List<HistoryEvent> history = harness.history("large-page");
    assertThat(history).filteredOn(e -> e.hasActivityTaskScheduledEventAttributes()
            && e.getActivityTaskScheduledEventAttributes().getActivityType().getName().equals("LoadValue"))
        .as("each stored output (fetch's, and the echo of its body) loaded once, however many expressions read it")
        .hasSize(2);
    WorkflowReplayer.replayWorkflowExecution(harness.client().fetchHistory("large-page"), AgentGraphWorkflowImpl.class);
  }

  @Test
  void should_fail_clearly_when_an_expression_reads_a_stored_output_above_the_cap() {
    harness = new GraphHarness(tempDir, null, List.of(fetchTool()));

    assertThatThrownBy(() -> harness.run(graph(300_000), "{}"))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.EXPRESSION_ERROR))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "node 'fetch': set.status `output.status` reads output, which is stored by reference (300024 bytes);"
                + " expressions may read at most 262144 bytes of stored values"));
  }

  @Test
  void should_name_the_node_and_path_when_a_later_node_reads_it() {
    harness = new GraphHarness(tempDir, null, List.of(fetchTool()));
    String graph = graph(300_000).replaceAll("(?m)^\\s*set: \\{status: \"output.status\"\\}\n", "");

    assertThatThrownBy(() -> harness.run(graph, "{}"))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "node 'render': argument `nodes.fetch.output.body` reads nodes.fetch.output, which is stored by"
                + " reference (300024 bytes); expressions may read at most 262144 bytes of stored values"));
  }
}
