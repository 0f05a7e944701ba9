package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.TextNode;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.WorkflowExecutionHistory;
import dev.agentflow.engine.testing.Replay;
import io.temporal.testing.TestWorkflowEnvironment;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.AgentflowWorkers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.SearchAttributes;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunSearchAttributesTest {

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
      name: searchable
      version: 3
      models:
        m: {provider: offline, model: scripted}
      """;

  @Test
  void should_show_graph_version_end_node_tokens_and_cost_after_a_run() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "answer"
              usage: {input: 100, output: 50}
        """, List.of());

    WorkflowStub stub = harness.start(HEADER + """
        pricing:
          m: {input: 2.0, output: 8.0}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end, output: "nodes.ask.output"}
        """, "{}", "searchable-run");
    RunResult result = stub.getResult(RunResult.class);

    SearchAttributes attributes = stub.describe().getTypedSearchAttributes();
    assertThat(attributes.get(RunSearchAttributes.GRAPH)).isEqualTo("searchable");
    assertThat(attributes.get(RunSearchAttributes.GRAPH_VERSION)).isEqualTo(3L);
    assertThat(attributes.get(RunSearchAttributes.NODE)).isEqualTo("done");
    assertThat(attributes.get(RunSearchAttributes.TOKENS)).isEqualTo(150L).isEqualTo(result.usage().total().total());
    // (100 * 2.0 + 50 * 8.0) / 1e6
    assertThat(attributes.get(RunSearchAttributes.COST_USD)).isCloseTo(0.0006, within(1e-12));
  }

  @Test
  void should_upsert_once_per_node_visit_with_only_the_values_that_changed() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "answer"
              usage: {input: 10, output: 5}
        """, List.of(TestTools.counting("counter")));

    harness.start(HEADER + """
        start: count
        nodes:
          count: {kind: tool, tool: counter, arguments: {n: 1}, next: ask}
          ask: {kind: llm, model: m, prompt: "hello", next: done}
          done: {kind: end}
        """, "{}", "upserts").getResult(RunResult.class);

    List<Set<String>> upserted = harness.history("upserts").stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .map(RunSearchAttributesTest::upsertedNames)
        .toList();
    assertThat(upserted).containsExactly(
        Set.of("AgentflowGraph", "AgentflowGraphVersion", "AgentflowNode", "AgentflowTokens", "AgentflowCostUsd"),
        Set.of("AgentflowNode"),
        Set.of("AgentflowNode", "AgentflowTokens"));
  }

  @Test
  void should_set_them_on_child_runs_and_count_child_tokens_in_the_parent() {
    harness = new GraphHarness(tempDir, """
        replies:
          ask:
            - content: "summary"
              usage: {input: 10, output: 2}
        """, List.of());

    WorkflowStub stub = harness.start(HEADER + """
        start: each
        nodes:
          each:
            kind: map
            items: "[1, 2]"
            graph:
              start: ask
              nodes:
                ask: {kind: llm, model: m, prompt: "summarise ${input.item}", next: done}
                done: {kind: end, output: "nodes.ask.output"}
            next: finish
          finish: {kind: end, output: "nodes.each.output"}
        """, "{}", "searchable-parent");
    stub.getResult(RunResult.class);

    assertThat(stub.describe().getTypedSearchAttributes().get(RunSearchAttributes.TOKENS)).isEqualTo(24L);
    List<String> children = harness.history("searchable-parent").stream()
        .filter(event -> event.getEventType() == EventType.EVENT_TYPE_CHILD_WORKFLOW_EXECUTION_STARTED)
        .map(event -> event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId())
        .toList();
    assertThat(children).hasSize(2);
    for (String child : children) {
      SearchAttributes attributes = harness.client().newUntypedWorkflowStub(child).describe().getTypedSearchAttributes();
      assertThat(attributes.get(RunSearchAttributes.GRAPH)).isEqualTo("searchable--each");
      assertThat(attributes.get(RunSearchAttributes.NODE)).isEqualTo("done");
      assertThat(attributes.get(RunSearchAttributes.TOKENS)).isEqualTo(12L);
    }
  }

  private static Set<String> upsertedNames(HistoryEvent event) {
    return event.getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap().keySet();
  }

  @Test
  void should_not_upsert_on_a_worker_whose_namespace_lacks_them_and_replay_the_same_on_any_worker() throws Exception {
    // like a server without the attributes: none registered, and the worker's settings say off
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance()) {
      EngineConfig config = GraphHarness.config(tempDir, """
          replies:
            ask: [{content: "answer"}]
          """, List.of(), new DirectoryBlobStore(tempDir.resolve("blobs")))
          .withSettings(AgentflowConfig.defaults().withSearchAttributes(AgentflowConfig.SEARCH_ATTRIBUTES_OFF));
      AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config);
      environment.start();
      WorkflowStub stub = environment.getWorkflowClient().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
          WorkflowOptions.newBuilder().setWorkflowId("no-attributes").setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
      stub.start(new RunRequest(TextNode.valueOf(HEADER + """
          start: ask
          nodes:
            ask: {kind: llm, model: m, prompt: "hello", next: done}
            done: {kind: end, output: "nodes.ask.output"}
          """), GraphHarness.json("{}"), new RunOptions("test.yaml", null)));

      assertThat(stub.getResult(RunResult.class).output().asText()).isEqualTo("answer");
      WorkflowExecutionHistory history = environment.getWorkflowClient().fetchHistory("no-attributes");
      assertThat(history.getEvents()).noneMatch(
          event -> event.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES);
      // a worker that would upsert replays it unchanged: the choice is in the history
      Replay.check(history);
    }
  }
}
