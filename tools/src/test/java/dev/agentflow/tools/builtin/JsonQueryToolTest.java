package dev.agentflow.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContractTest;
import dev.agentflow.tools.ToolException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonQueryToolTest extends ToolContractTest {

  private static final JsonNode DOCUMENT = json("""
      {'items': [{'name': 'first', 'tags': ['a', 'b']}, {'name': 'second', 'gone': null}],
       'a/b': 1, 'odd key': {'x': true}, 'count': 2}
      """);

  @Override
  protected Tool tool() {
    return new JsonQueryTool();
  }

  @Override
  protected JsonNode invalidArguments() {
    return json("{'json': {}, 'path': 'items.0'}");
  }

  private JsonNode query(JsonNode document, String path) throws ToolException {
    ObjectNode arguments = MAPPER.createObjectNode();
    arguments.set("json", document);
    arguments.put("path", path);
    return tool().call(contextWith(arguments));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "$.items[0].name        | 'first'",
      "/items/0/name          | 'first'",
      "$.items[1]             | {'name': 'second', 'gone': null}",
      "$.items[0].tags[1]     | 'b'",
      "$['odd key'].x         | true",
      "$[\"odd key\"][\"x\"]  | true",
      "/a~1b                  | 1",
      "$.count                | 2",
  })
  void selects_the_value_at_a_path(String path, String expected) throws Exception {
    JsonNode result = query(DOCUMENT, path.strip());

    assertThat(result.get("found").asBoolean()).isTrue();
    assertThat(result.get("value")).isEqualTo(json(expected.strip()));
  }

  @Test
  void the_root_path_selects_the_whole_document() throws Exception {
    assertThat(query(DOCUMENT, "$").get("value")).isEqualTo(DOCUMENT);
    assertThat(query(DOCUMENT, "").get("value")).isEqualTo(DOCUMENT);
  }

  @ParameterizedTest
  @CsvSource({"$.missing", "$.items[5].name", "/items/5", "$.items.name", "$.count[0]", "$.items[0].name.length"})
  void a_path_that_leads_nowhere_is_not_found_rather_than_an_error(String path) throws Exception {
    JsonNode result = query(DOCUMENT, path);

    assertThat(result).isEqualTo(json("{'found': false, 'value': null}"));
  }

  @Test
  void a_present_null_is_found_and_distinguished_from_a_missing_value() throws Exception {
    assertThat(query(DOCUMENT, "$.items[1].gone")).isEqualTo(json("{'found': true, 'value': null}"));
  }

  @Test
  void a_json_string_argument_is_parsed_as_json_text() throws Exception {
    JsonNode text = MAPPER.getNodeFactory().textNode("{\"user\": {\"id\": 7}}");

    assertThat(query(text, "$.user.id").get("value").asInt()).isEqualTo(7);
  }

  @Test
  void a_string_that_is_not_json_text_is_rejected() {
    assertThatThrownBy(() -> query(MAPPER.getNodeFactory().textNode("{not json"), "$"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("not JSON text");
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
      "$.items[x]   | expected an array index (0, 1, …) or a quoted name at position 9",
      "$.items[0    | expected ']' at position 10",
      "$..name      | expected a property name at position 3",
      "$['open      | unclosed quote at position 3",
      "$items       | expected '.' or '[' at position 2",
      "items.name   | must be a JSON Pointer",
  })
  void rejects_malformed_paths_naming_the_position(String path, String message) {
    assertThatThrownBy(() -> query(DOCUMENT, path.strip()))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining(message.strip())
        .satisfies(e -> assertThat(((ToolException) e).retryable()).isFalse());
  }
}
