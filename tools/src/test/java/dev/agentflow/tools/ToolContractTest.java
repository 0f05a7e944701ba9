package dev.agentflow.tools;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.Duration;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * What every tool promises, whoever wrote it. A tool's test extends this class and supplies the
 * tool and one set of arguments it must reject; the per-tool behaviour is tested beside it.
 */
public abstract class ToolContractTest {

  protected static final ObjectMapper MAPPER = new ObjectMapper();

  /** The tool under test. */
  protected abstract Tool tool();

  /** Arguments (a JSON object) this tool must refuse with a non-retryable {@link ToolException}. */
  protected abstract JsonNode invalidArguments();

  /** A context with these arguments, no secrets, a 5 s timeout and a 1 MiB result limit. */
  protected static ToolContext contextWith(JsonNode arguments) {
    return new ToolContext(arguments, reference -> Optional.empty(), Duration.ofSeconds(5), 1024 * 1024);
  }

  /** Parses JSON written in a test; single quotes stand for double quotes to keep tests readable. */
  protected static JsonNode json(String text) {
    try {
      return MAPPER.readTree(text.replace('\'', '"'));
    } catch (Exception e) {
      throw new IllegalArgumentException("bad JSON in test: " + text, e);
    }
  }

  @Test
  void name_is_snake_case() {
    assertThat(tool().name()).matches("[a-z][a-z0-9]*(_[a-z0-9]+)*");
  }

  @Test
  void name_is_unique_in_the_classpath_registry() {
    ToolRegistry registry = ToolRegistry.loadFromClasspath(); // throws on a duplicate name
    assertThat(registry.find(tool().name())).get().isInstanceOf(tool().getClass());
  }

  @Test
  void tool_is_found_by_the_classpath_registry() {
    assertThat(ToolRegistry.loadFromClasspath().names()).contains(tool().name());
  }

  @Test
  void description_is_not_empty() {
    assertThat(tool().description()).isNotBlank();
  }

  @Test
  void parameters_schema_is_an_object_schema_with_properties() {
    JsonNode schema = tool().parametersSchema();
    assertThat(schema.isObject()).as("schema is a JSON object").isTrue();
    assertThat(schema.path("type").asText()).isEqualTo("object");
    assertThat(schema.path("properties").isObject()).as("schema has 'properties'").isTrue();
  }

  @Test
  void every_required_parameter_is_declared_in_properties() {
    JsonNode schema = tool().parametersSchema();
    for (JsonNode required : schema.path("required")) {
      assertThat(schema.path("properties").has(required.asText()))
          .as("required '%s' is in properties", required.asText())
          .isTrue();
    }
  }

  @Test
  void invalid_arguments_raise_a_non_retryable_tool_exception() {
    assertNonRetryableToolException(invalidArguments());
  }

  @Test
  void arguments_that_are_not_an_object_raise_a_non_retryable_tool_exception() {
    assertNonRetryableToolException(json("[1, 2]"));
    assertNonRetryableToolException(null);
  }

  private void assertNonRetryableToolException(JsonNode arguments) {
    assertThatThrownBy(() -> tool().call(contextWith(arguments)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(((ToolException) e).retryable()).as("retryable").isFalse())
        .satisfies(e -> assertThat(((ToolException) e).type()).isNotBlank());
  }
}
