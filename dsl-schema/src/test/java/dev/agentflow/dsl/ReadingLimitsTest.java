package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What reading a file may cost is bounded, and every way it goes wrong is a located problem. */
class ReadingLimitsTest {

  private static final String MINIMAL = """
      apiVersion: agentflow/v1
      name: minimal
      version: 1
      start: done
      nodes:
        done: {kind: end}
      """;

  @TempDir Path dir;

  private final DefinitionLoader loader = DefinitionLoader.withoutToolCheck();

  private static List<Problem> problems(Runnable load) {
    DefinitionException rejection = catchThrowableOfType(DefinitionException.class, load::run);
    assertThat(rejection).as("expected a rejection").isNotNull();
    return rejection.problems();
  }

  @Test
  void should_refuse_a_file_above_the_size_cap_before_parsing_and_name_both_sizes() throws IOException {
    Path big = dir.resolve("big.yaml");
    Files.writeString(big, MINIMAL + "# " + "x".repeat(3000) + "\n");
    DefinitionLoader small = DefinitionLoader.withoutToolCheck(ReadLimits.DEFAULTS.withMaxBytes(2048));

    List<Problem> problems = problems(() -> small.load(big));

    assertThat(problems).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(big.toString());
      assertThat(problem.message()).contains("(" + Files.size(big) + " bytes)").contains("(2048 bytes)")
          .contains("nothing was parsed");
    });
  }

  @Test
  void should_refuse_text_above_the_size_cap_counting_utf8_bytes() {
    DefinitionLoader small = DefinitionLoader.withoutToolCheck(ReadLimits.DEFAULTS.withMaxBytes(200));
    String text = MINIMAL + "description: " + "é".repeat(60) + "\n"; // 60 characters, 120 bytes

    assertThat(problems(() -> small.load(text, "text.yaml")))
        .singleElement().extracting(Problem::message).asString().contains("more than the limit of 200 bytes");
  }

  @Test
  void should_read_a_file_that_starts_with_a_utf8_byte_order_mark() throws IOException {
    Path file = dir.resolve("bom.yaml");
    byte[] text = MINIMAL.getBytes(StandardCharsets.UTF_8);
    byte[] withBom = new byte[text.length + 3];
    withBom[0] = (byte) 0xEF;
    withBom[1] = (byte) 0xBB;
    withBom[2] = (byte) 0xBF;
    System.arraycopy(text, 0, withBom, 3, text.length);
    Files.write(file, withBom);

    assertThat(loader.load(file).graph().name()).isEqualTo("minimal");
  }

  @Test
  void should_report_a_nul_character_as_utf16_or_binary_at_its_position() throws IOException {
    Path file = dir.resolve("nul.yaml");
    Files.writeString(file, "apiVersion: agentflow/v1\nname: a\0b\n");

    assertThat(problems(() -> loader.load(file))).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(2);
      assertThat(problem.column()).isEqualTo(8);
      assertThat(problem.message()).contains("NUL character").contains("UTF-16");
    });
  }

  @Test
  void should_say_a_missing_file_was_not_found() {
    Path missing = dir.resolve("missing.yaml");

    assertThat(problems(() -> loader.load(missing))).singleElement()
        .satisfies(problem -> assertThat(problem.toString()).isEqualTo(missing + ": file not found"));
  }

  @Test
  void should_report_an_unclosed_json_string_where_it_starts() {
    String json = "{\"apiVersion\": \"agentflow/v1\",\n \"name\": \"oops";

    assertThat(problems(() -> loader.load(json, "graph.json"))).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(2);
      assertThat(problem.column()).isEqualTo(10);
      assertThat(problem.message()).contains("no closing quote");
    });
  }

  @Test
  void should_reject_a_definition_tree_nested_deeper_than_the_limit_with_its_pointer() {
    ObjectNode tree = new ObjectMapper().createObjectNode();
    ObjectNode current = tree.putObject("input");
    for (int i = 0; i < 100; i++) {
      current = current.putObject("properties").putObject("a");
    }

    assertThat(problems(() -> loader.load(tree, "<definition>"))).singleElement().satisfies(problem -> {
      assertThat(problem.message()).contains("nested more than 64 levels deep");
      assertThat(problem.pointer()).startsWith("/input/properties/a/properties/a");
    });
  }

  @Test
  void should_report_a_huge_unknown_key_with_a_short_message() {
    String text = "{\"apiVersion\": \"agentflow/v1\", \"name\": \"k\", \"version\": 1, \"start\": \"done\",\n"
        + " \"nodes\": {\"done\": {\"kind\": \"end\"}},\n \"" + "k".repeat(500_000) + "\": 1}";

    assertThat(problems(() -> loader.load(text, "key.json"))).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(3);
      assertThat(problem.toString()).contains("unknown property 'kkkk").hasSizeLessThan(1000);
    });
  }

  @Test
  void should_check_a_long_graph_name_of_dashed_parts_without_overflowing_the_stack() {
    String text = MINIMAL.replace("name: minimal", "name: " + "a-".repeat(200_000) + "a");

    assertThat(loader.load(text, "long-name.yaml").graph().name()).hasSize(400_001);
  }

  @Test
  void should_report_an_expression_the_parser_cannot_take_instead_of_throwing() {
    String text = MINIMAL.replace("{kind: end}", "{kind: end, output: \"" + "!".repeat(4000) + "1\"}");

    assertThat(problems(() -> loader.load(text, "unary.yaml"))).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(6);
      assertThat(problem.message()).contains("too complex to parse");
    });
  }

  @Test
  void should_report_template_literals_nested_too_deep_inside_a_template() {
    String prompt = "${" + "`${".repeat(1000);
    String text = """
        apiVersion: agentflow/v1
        name: nested
        version: 1
        models: {m: {provider: offline, model: x}}
        start: a
        nodes:
          a: {kind: llm, model: m, prompt: "%s", next: done}
          done: {kind: end}
        """.formatted(prompt);

    assertThat(problems(() -> loader.load(text, "nested.yaml"))).singleElement()
        .extracting(Problem::message).asString().contains("template literals nested more than 64 levels");
  }

  @Test
  void should_reject_an_input_nested_deeper_than_the_cap_instead_of_validating_it() {
    JsonNode schema = new ObjectMapper().createObjectNode().put("$ref", "#");
    ObjectNode input = new ObjectMapper().createObjectNode();
    ObjectNode current = input;
    for (int i = 0; i < 300; i++) {
      current = current.putObject("a");
    }

    assertThat(InputValidator.forSchema(schema).validate(input)).singleElement()
        .extracting(Problem::message).asString().contains("nested more than 256 levels deep");
  }

  @Test
  void should_place_a_run_input_problem_at_the_line_and_column_of_its_value() {
    LocatedDocument input = LocatedDocument.parseJson("{\n  \"question\": 7\n}", "input.json", ReadLimits.DEFAULTS);
    GraphDefinition graph = loader.load(MINIMAL.replace("start: done",
        "input: {type: object, properties: {question: {type: string}}}\nstart: done"), "g.yaml").graph();

    List<Problem> located = input.locate(InputValidator.forGraph(graph).validate(input.root()));

    assertThat(located).singleElement().hasToString("input.json:2:15: expected string, got integer (at /question)");
  }

  @Test
  void should_refuse_json_with_content_after_the_value() {
    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> LocatedDocument.parseJson("{\"q\": \"x\"} trailing", "<input>", ReadLimits.DEFAULTS));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(1);
      assertThat(problem.column()).isEqualTo(12);
    });
  }

  @Test
  void should_refuse_empty_json_text_saying_it_is_empty() {
    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> LocatedDocument.parseJson("", "<input>", ReadLimits.DEFAULTS));

    assertThat(rejection.problems()).singleElement().hasToString("<input>:1:1: empty: expected a JSON value");
  }

  @Test
  void should_reject_a_number_out_of_the_double_range_in_a_tree_and_in_an_input() {
    ObjectNode tree = (ObjectNode) new ObjectMapper().valueToTree(java.util.Map.of("apiVersion", "agentflow/v1"));
    tree.put("version", Double.POSITIVE_INFINITY);
    ObjectNode input = new ObjectMapper().createObjectNode().put("n", Double.NEGATIVE_INFINITY);
    JsonNode schema = new ObjectMapper().createObjectNode().putObject("properties").putObject("n").putArray("enum").add(1);

    assertThat(problems(() -> loader.load(tree, "<definition>"))).singleElement()
        .satisfies(problem -> assertThat(problem.pointer()).isEqualTo("/version"));
    assertThat(InputValidator.forSchema(new ObjectMapper().createObjectNode().set("properties",
        schema.get("properties")) ).validate(input)).singleElement()
        .extracting(Problem::message).asString().contains("out of range");
  }
}
