package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.temporal.api.enums.v1.IndexedValueType;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SearchAttributeSetupTest {

  private static final Map<String, IndexedValueType> ALL_PRESENT = Map.of(
      "AgentflowGraph", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "AgentflowGraphVersion", IndexedValueType.INDEXED_VALUE_TYPE_INT,
      "AgentflowNode", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "AgentflowTokens", IndexedValueType.INDEXED_VALUE_TYPE_INT,
      "AgentflowCostUsd", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE,
      "AgentflowGraphSha", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "AgentflowGraphAlias", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
      "CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

  @Test
  void should_find_nothing_missing_when_the_namespace_has_every_attribute() {
    assertThat(SearchAttributeSetup.missing(ALL_PRESENT)).isEmpty();
  }

  @Test
  void should_list_only_the_attributes_the_namespace_lacks_with_their_types() {
    Map<String, IndexedValueType> existing = Map.of(
        "AgentflowGraph", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "AgentflowNode", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "CustomerId", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);

    assertThat(SearchAttributeSetup.missing(existing)).containsExactly(
        Map.entry("AgentflowGraphVersion", IndexedValueType.INDEXED_VALUE_TYPE_INT),
        Map.entry("AgentflowTokens", IndexedValueType.INDEXED_VALUE_TYPE_INT),
        Map.entry("AgentflowCostUsd", IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE),
        Map.entry("AgentflowGraphSha", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD),
        Map.entry("AgentflowGraphAlias", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));
  }

  @Test
  void should_name_the_missing_attributes_and_give_one_create_command_each() {
    Map<String, IndexedValueType> missing = SearchAttributeSetup.missing(Map.of(
        "AgentflowGraph", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD,
        "AgentflowGraphVersion", IndexedValueType.INDEXED_VALUE_TYPE_INT,
        "AgentflowNode", IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD));

    String text = SearchAttributeSetup.instructions("prod", missing, "adding them failed: PERMISSION_DENIED");

    assertThat(text)
        .startsWith("runs will not set the search attributes AgentflowTokens, AgentflowCostUsd, AgentflowGraphSha,"
            + " AgentflowGraphAlias: namespace 'prod' lacks them")
        .contains("Runs are served without them")
        .contains("adding them failed: PERMISSION_DENIED")
        .contains("temporal operator search-attribute create --namespace prod --name AgentflowTokens --type Int")
        .contains("temporal operator search-attribute create --namespace prod --name AgentflowCostUsd --type Double")
        .doesNotContain("--name AgentflowGraph ");
  }

  @Test
  void should_spell_types_as_the_temporal_cli_accepts_them() {
    assertThat(SearchAttributeSetup.typeName(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD)).isEqualTo("Keyword");
    assertThat(SearchAttributeSetup.typeName(IndexedValueType.INDEXED_VALUE_TYPE_INT)).isEqualTo("Int");
    assertThat(SearchAttributeSetup.typeName(IndexedValueType.INDEXED_VALUE_TYPE_DOUBLE)).isEqualTo("Double");
    assertThat(SearchAttributeSetup.typeName(IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD_LIST)).isEqualTo("KeywordList");
  }
}
