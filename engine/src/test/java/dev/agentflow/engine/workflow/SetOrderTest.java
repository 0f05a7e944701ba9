package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.agentflow.dsl.DefinitionLoader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code set:} is evaluated in the order it is written, however the definition is submitted: as
 * YAML text (the stock {@code temporal} CLI), as a JSON object, or as the canonical JSON that
 * {@code agentflow run} and pinned child graphs submit.
 */
class SetOrderTest {

  /** {@code first} reads {@code raw}: it only works when {@code raw} is assigned first, as written. */
  private static final String GRAPH = """
      apiVersion: agentflow/v1
      name: set-order
      version: 1
      start: fetch
      nodes:
        fetch:
          kind: tool
          tool: echo
          arguments: {items: ["a", "b"]}
          set:
            raw: "output.items"
            first: "vars.raw[0]"
            count: "vars.raw.length"
          next: done
        done: {kind: end, output: "({first: vars.first, count: vars.count})"}
      """;

  private static final JsonNode EXPECTED = GraphHarness.json("{\"first\": \"a\", \"count\": 2}");

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

  private RunResult run(JsonNode definition, String workflowId) {
    var stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        io.temporal.client.WorkflowOptions.newBuilder().setWorkflowId(workflowId)
            .setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(new RunRequest(definition, GraphHarness.json("{}"), new RunOptions("set-order.yaml", null)));
    return stub.getResult(RunResult.class);
  }

  @Test
  void should_assign_set_in_source_order_from_yaml_text() {
    assertThat(run(TextNode.valueOf(GRAPH), "set-yaml").output()).isEqualTo(EXPECTED);
  }

  @Test
  void should_assign_set_in_source_order_from_a_json_object() throws Exception {
    JsonNode object = new ObjectMapper(new YAMLFactory()).readTree(GRAPH);

    assertThat(run(object, "set-object").output()).isEqualTo(EXPECTED);
  }

  @Test
  void should_assign_set_in_source_order_from_the_canonical_json_the_cli_submits() throws Exception {
    String canonical = DefinitionLoader.withoutToolCheck().load(GRAPH, "set-order.yaml").canonicalJson();
    assertThat(canonical).contains("\"set\":{\"raw\":\"output.items\",\"first\":\"vars.raw[0]\"");

    assertThat(run(new ObjectMapper().readTree(canonical), "set-canonical").output()).isEqualTo(EXPECTED);
    assertThat(run(TextNode.valueOf(canonical), "set-canonical-text").output()).isEqualTo(EXPECTED);
  }
}
