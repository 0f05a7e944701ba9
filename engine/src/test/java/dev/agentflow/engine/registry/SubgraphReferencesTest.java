package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SubgraphReferencesTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private static final String PARENT = """
      apiVersion: agentflow/v1
      name: parent
      version: 1
      start: fan
      nodes:
        fan: {kind: parallel, branches: {a: {ref: "child@prod"}, b: {start: x, nodes: {x: {kind: subgraph, graph: {ref: "child:2"}}}}}}
        one: {kind: map, items: "[]", graph: {path: ./x.yaml, pinned: {nodes: {y: {kind: subgraph, graph: {ref: deep}}}}}}
      """;

  @Test
  void should_find_references_in_branches_inline_graphs_and_pinned_children_of_yaml_text() {
    assertThat(SubgraphReferences.unpinned(TextNode.valueOf(PARENT))).containsExactly("child@prod", "child:2", "deep");
  }

  @Test
  void should_find_none_in_a_definition_without_references_or_in_text_that_does_not_parse() {
    assertThat(SubgraphReferences.unpinned(TextNode.valueOf("apiVersion: agentflow/v1\nnodes: {a: {kind: end}}"))).isEmpty();
    assertThat(SubgraphReferences.unpinned(TextNode.valueOf("{{{ not yaml"))).isEmpty();
  }

  @Test
  void should_pin_each_reference_with_what_it_resolved_to_and_record_the_pins() throws Exception {
    List<SubgraphReferences.Pin> pins = new ArrayList<>();
    JsonNode child = JSON.readTree("{\"name\": \"child\", \"nodes\": {\"e\": {\"kind\": \"end\"}}}");

    JsonNode pinned = SubgraphReferences.pin(TextNode.valueOf(PARENT),
        reference -> new ResolvedGraph(reference.toString(), reference.name(), 3, "ab", null, child, List.of()), pins);

    assertThat(pinned.at("/nodes/fan/branches/a/pinned")).isEqualTo(child);
    assertThat(pinned.at("/nodes/fan/branches/a/ref").asText()).isEqualTo("child@prod");
    assertThat(SubgraphReferences.unpinned(pinned)).isEmpty();
    assertThat(pins).extracting(SubgraphReferences.Pin::reference).containsExactly("child@prod", "child:2", "deep");
  }

  @Test
  void should_refuse_references_that_nest_deeper_than_the_limit() throws Exception {
    JsonNode selfReferencing = JSON.readTree("{\"nodes\": {\"s\": {\"kind\": \"subgraph\", \"graph\": {\"ref\": \"loop@prod\"}}}}");

    assertThatThrownBy(() -> SubgraphReferences.pin(selfReferencing,
        reference -> new ResolvedGraph(reference.toString(), "loop", 1, "ab", "prod", selfReferencing, List.of()),
        new ArrayList<>()))
        .isInstanceOf(RegistryException.class)
        .hasMessageContaining("more than 8 levels deep (a cycle?)");
  }
}
