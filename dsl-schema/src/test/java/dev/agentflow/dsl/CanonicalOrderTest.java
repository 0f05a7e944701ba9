package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A node's {@code set} and a parallel node's {@code branches} keep the order they were written in
 * through the canonical JSON, so a definition behaves the same whether it is submitted as YAML
 * text, as a JSON object, or as the canonical JSON that {@code agentflow run} and pinned children
 * use.
 */
class CanonicalOrderTest {

  private static final String GRAPH = """
      apiVersion: agentflow/v1
      name: ordered
      version: 1
      input:
        type: object
        properties: {zeta: {type: string}, alpha: {type: string}}
      models: {m: {provider: offline, model: x}}
      start: fetch
      nodes:
        fetch:
          kind: tool
          tool: echo
          arguments: {zeta: 1, alpha: 2, set: {b: 1, a: 2}}
          set:
            raw: "output"
            first: "vars.raw[0]"
            count: "vars.raw.length"
          next: fan
        fan:
          kind: parallel
          branches:
            zulu: {start: a, nodes: {a: {kind: end, output: "index"}}}
            alpha:
              start: b
              nodes:
                b:
                  kind: tool
                  tool: echo
                  set: {second: "1", first: "vars.second"}
                  next: c
                c: {kind: end}
          next: done
        done: {kind: end}
      """;

  private final DefinitionLoader loader = new DefinitionLoader(java.util.Set.of("echo"));

  @Test
  void should_keep_set_entries_in_source_order_in_the_canonical_json() {
    LoadedDefinition loaded = loader.load(GRAPH, "ordered.yaml");

    assertThat(loaded.canonicalJson()).contains("\"set\":{\"raw\":\"output\",\"first\":\"vars.raw[0]\",\"count\":\"vars.raw.length\"}");
  }

  @Test
  void should_bind_set_in_source_order_from_yaml_text_json_object_and_canonical_json() throws Exception {
    LoadedDefinition fromText = loader.load(GRAPH, "ordered.yaml");
    JsonNode asObject = new ObjectMapper().readTree(fromText.canonicalJson());
    LoadedDefinition fromObject = loader.load(asObject, "<object>");
    LoadedDefinition fromCanonicalText = loader.load(fromText.canonicalJson(), "<pinned>");

    for (LoadedDefinition loaded : List.of(fromText, fromObject, fromCanonicalText)) {
      assertThat(loaded.graph().node("fetch").transitions().set().keySet()).containsExactly("raw", "first", "count");
    }
    assertThat(fromObject.sha256()).isEqualTo(fromText.sha256());
    assertThat(fromCanonicalText.sha256()).isEqualTo(fromText.sha256());
  }

  @Test
  void should_keep_branch_order_and_the_set_order_of_child_graphs() {
    LoadedDefinition loaded = loader.load(GRAPH, "ordered.yaml");
    ParallelNode fan = (ParallelNode) loaded.graph().node("fan");

    assertThat(fan.branches().keySet()).containsExactly("zulu", "alpha");
    JsonNode child = fan.branches().get("alpha").definition();
    assertThat(child.path("nodes").path("b").path("set").fieldNames()).toIterable().containsExactly("second", "first");
    LoadedDefinition childLoaded = loader.load(child, "<child>");
    assertThat(childLoaded.graph().node("b").transitions().set().keySet()).containsExactly("second", "first");
  }

  @Test
  void should_still_sort_keys_that_are_not_set_or_branches_even_when_named_set() {
    LoadedDefinition loaded = loader.load(GRAPH, "ordered.yaml");

    assertThat(loaded.canonicalJson())
        .contains("\"arguments\":{\"alpha\":2,\"set\":{\"a\":2,\"b\":1},\"zeta\":1}")
        .contains("\"properties\":{\"alpha\":{\"type\":\"string\"},\"zeta\":{\"type\":\"string\"}}");
  }

  @Test
  void should_give_different_sha256_when_only_the_set_order_differs() {
    String swapped = GRAPH.replace(
        "      raw: \"output\"\n      first: \"vars.raw[0]\"\n",
        "      first: \"vars.raw[0]\"\n      raw: \"output\"\n");

    assertThat(swapped).isNotEqualTo(GRAPH);
    assertThat(loader.load(swapped, "swapped.yaml").sha256()).isNotEqualTo(loader.load(GRAPH, "ordered.yaml").sha256());
  }
}
