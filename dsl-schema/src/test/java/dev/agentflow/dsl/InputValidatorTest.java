package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class InputValidatorTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final InputValidator validator = InputValidator.forSchema(json(
      "{\"type\": \"object\", \"required\": [\"topic\"], \"properties\": {"
          + "\"topic\": {\"type\": \"string\"}, \"count\": {\"type\": \"integer\"},"
          + "\"tone\": {\"enum\": [\"formal\", \"casual\"]}}}"));

  @Test
  void a_missing_required_property_is_reported_with_its_pointer() {
    assertThat(validator.validate(json("{\"count\": 3}"))).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo("<input>");
      assertThat(problem.pointer()).isEqualTo("/topic");
      assertThat(problem.message()).isEqualTo("required property missing");
      assertThat(problem.toString()).isEqualTo("<input>: required property missing (at /topic)");
    });
  }

  @Test
  void a_value_of_the_wrong_type_names_expected_and_actual_types() {
    assertThat(validator.validate(json("{\"topic\": \"x\", \"count\": \"three\"}")))
        .singleElement()
        .satisfies(problem -> {
          assertThat(problem.pointer()).isEqualTo("/count");
          assertThat(problem.message()).isEqualTo("expected integer, got string");
        });
  }

  @Test
  void every_problem_of_an_input_is_reported() {
    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> validator.check(json("{\"count\": 1.5, \"tone\": \"angry\"}")));

    assertThat(rejection.problems()).extracting(Problem::pointer)
        .containsExactlyInAnyOrder("/topic", "/count", "/tone");
  }

  @Test
  void a_valid_input_passes() {
    assertThatCode(() -> validator.check(json("{\"topic\": \"tides\", \"count\": 2}")))
        .doesNotThrowAnyException();
  }

  @Test
  void a_definition_without_an_input_schema_accepts_anything() {
    GraphDefinition graph = new DefinitionLoader(FixtureTest.TOOLS)
        .load(DefinitionLoaderTest.resource("valid/minimal.yaml"), "minimal.yaml").graph();
    InputValidator any = InputValidator.forGraph(graph);

    assertThat(any.validate(json("42"))).isEmpty();
    assertThat(any.validate(json("{\"whatever\": [1, 2]}"))).isEmpty();
  }

  @Test
  void the_input_schema_of_a_loaded_definition_is_enforced() {
    GraphDefinition graph = new DefinitionLoader(FixtureTest.TOOLS)
        .load(DefinitionLoaderTest.resource("valid/research-review.yaml"), "rr.yaml").graph();

    assertThat(InputValidator.forGraph(graph).validate(json("{}")))
        .extracting(Problem::pointer).containsExactly("/topic");
  }

  @Test
  void validators_of_different_schemas_do_not_share_state() {
    InputValidator numbers = InputValidator.forSchema(json("{\"type\": \"number\"}"));
    InputValidator strings = InputValidator.forSchema(json("{\"type\": \"string\"}"));

    assertThat(numbers.validate(json("1"))).isEmpty();
    assertThat(strings.validate(json("\"a\""))).isEmpty();
    assertThat(strings.validate(json("1"))).extracting(Problem::message)
        .containsExactly("expected string, got integer");
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }
}
