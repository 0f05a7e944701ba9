package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.WaitNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Runs of the same definition share one binding and one compiled payload schema instead of
 * keeping a copy each while they are cached; a definition that differs in anything that can change
 * behaviour (the written order of {@code set}, the source name) gets its own.
 */
class SharedBindingsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static String gate(String name) {
    return """
        apiVersion: agentflow/v1
        name: %s
        version: 1
        start: work
        nodes:
          work:
            kind: tool
            tool: echo
            arguments: {message: "hi"}
            set: {b: "1", a: "2"}
            next: approval
          approval:
            kind: wait
            event: approve
            payload: {type: object, required: [approved], properties: {approved: {type: boolean}}}
            next: done
          done: {kind: end, output: "vars"}
        """.formatted(name);
  }

  @Test
  void should_give_every_run_of_the_same_definition_text_the_same_binding() {
    String text = gate("shared-text");

    LoadedDefinition first = DefinitionSource.bind(TextNode.valueOf(text), "gate.yaml");
    LoadedDefinition second = DefinitionSource.bind(TextNode.valueOf(new String(text)), "gate.yaml");

    assertThat(second).isSameAs(first);
  }

  @Test
  void should_give_every_run_of_the_same_definition_json_the_same_binding() throws Exception {
    String canonical = DefinitionSource.bind(TextNode.valueOf(gate("shared-json")), "gate.yaml").canonicalJson();

    LoadedDefinition first = DefinitionSource.bind(JSON.readTree(canonical), "gate.json");
    LoadedDefinition second = DefinitionSource.bind(JSON.readTree(canonical), "gate.json");

    assertThat(second).isSameAs(first);
  }

  @Test
  void should_bind_a_definition_whose_set_is_written_in_another_order_on_its_own() throws Exception {
    String canonical = DefinitionSource.bind(TextNode.valueOf(gate("reordered")), "gate.yaml").canonicalJson();
    JsonNode written = JSON.readTree(canonical);
    JsonNode reordered = JSON.readTree(canonical.replace("\"set\":{\"b\":\"1\",\"a\":\"2\"}", "\"set\":{\"a\":\"2\",\"b\":\"1\"}"));
    assertThat(reordered).isEqualTo(written); // Jackson's equality ignores key order; the binding must not

    LoadedDefinition first = DefinitionSource.bind(written, "gate.json");
    LoadedDefinition second = DefinitionSource.bind(reordered, "gate.json");

    assertThat(second).isNotSameAs(first);
    assertThat(setOrder(second)).containsExactly("a", "b");
    assertThat(setOrder(first)).containsExactly("b", "a");
  }

  @Test
  void should_bind_the_same_text_under_another_source_name_on_its_own() {
    String text = gate("renamed");

    LoadedDefinition first = DefinitionSource.bind(TextNode.valueOf(text), "gate.yaml");
    LoadedDefinition second = DefinitionSource.bind(TextNode.valueOf(text), "other.yaml");

    assertThat(second).isNotSameAs(first);
  }

  @Test
  void should_keep_no_more_than_its_limit_of_definitions() {
    for (int i = 0; i < SharedBindings.DEFINITIONS + 10; i++) {
      DefinitionSource.bind(TextNode.valueOf(gate("many-" + i)), "gate.yaml");
    }

    assertThat(SharedBindings.heldDefinitions()).isEqualTo(SharedBindings.DEFINITIONS);
  }

  @Test
  void should_compile_a_shared_graphs_payload_schema_once_and_an_equal_schema_of_another_graph_on_its_own()
      throws Exception {
    JsonNode schema = ((WaitNode) DefinitionSource.bind(TextNode.valueOf(gate("schemas")), "gate.yaml")
        .graph().nodes().get("approval")).payloadSchema();
    JsonNode equalCopy = schema.deepCopy();

    InputValidator first = SharedBindings.validator(schema, () -> InputValidator.forSchema(schema));
    InputValidator again = SharedBindings.validator(schema, () -> InputValidator.forSchema(schema));
    InputValidator copy = SharedBindings.validator(equalCopy, () -> InputValidator.forSchema(equalCopy));

    assertThat(again).isSameAs(first);
    assertThat(copy).isNotSameAs(first);
    assertThat(first.validate(JSON.readTree("{\"approved\": \"yes\"}"))).isNotEmpty();
  }

  private static List<String> setOrder(LoadedDefinition loaded) {
    ToolNode work = (ToolNode) loaded.graph().nodes().get("work");
    return new ArrayList<>(work.transitions().set().keySet());
  }
}
