package dev.agentflow.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContractTest;
import dev.agentflow.tools.ToolException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class CalculatorToolTest extends ToolContractTest {

  @Override
  protected Tool tool() {
    return new CalculatorTool();
  }

  @Override
  protected JsonNode invalidArguments() {
    return json("{'expression': 42}");
  }

  private JsonNode evaluate(String expression) throws ToolException {
    return tool().call(contextWith(JsonNodeFactory.instance.objectNode().put("expression", expression)));
  }

  @ParameterizedTest(name = "{0} = {1}")
  @CsvSource(delimiter = '=', value = {
      "2 + 3 * 4          = 14",
      "(2 + 3) * 4        = 20",
      "10 - 4 - 3         = 3",
      "2 ^ 3 ^ 2          = 512",
      "-2 ^ 2             = -4",
      "(-2) ^ 2           = 4",
      "2 ^ -1             = 0.5",
      "--3                = 3",
      "7 % 3              = 1",
      "-7 % 3             = -1",
      "1.5 * 4            = 6",
      ".5 + .25           = 0.75",
      "1e3 + 2.5E-1       = 1000.25",
      "sqrt(16) + abs(-3) = 7",
      "min(4, 2, 8)       = 2",
      "max(4, 2, 8)       = 8",
      "round(2.5)         = 3",
      "round(-2.5)        = -3",
      "floor(-1.5)        = -2",
      "ceil(1.2)          = 2",
      "  2*(3+(4-1))/3    = 4",
  })
  void evaluates_with_the_usual_precedence(String expression, String expected) throws Exception {
    assertThat(evaluate(expression.strip()).decimalValue()).isEqualByComparingTo(expected.strip());
  }

  @Test
  void whole_numbers_come_back_as_integers() throws Exception {
    JsonNode result = evaluate("2 + 3");

    assertThat(result.isIntegralNumber()).isTrue();
    assertThat(result.toString()).isEqualTo("5");
  }

  @Test
  void knows_pi_and_e() throws Exception {
    assertThat(evaluate("pi").doubleValue()).isCloseTo(Math.PI, within(1e-12));
    assertThat(evaluate("e ^ 2").doubleValue()).isCloseTo(Math.E * Math.E, within(1e-12));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', value = {
      "1 / 0          | division by zero at position 3",
      "5 % (2 - 2)    | modulo by zero at position 3",
      "2 +            | expression ends too early at position 4",
      "2 * (3 + 4     | expected ')' but the expression ends at position 11",
      "2 3            | unexpected '3' at position 3",
      "2 $ 3          | unexpected '$' at position 3",
      "foo + 1        | unknown name 'foo' (constants: pi, e) at position 1",
      "1 + bar(2)     | unknown function 'bar'",
      "sqrt(1, 2)     | sqrt() takes 1 argument, got 2 at position 1",
      "sqrt(-1)       | sqrt() of a negative number at position 1",
      "10 ^ 400       | not a finite number",
  })
  void rejects_bad_expressions_naming_the_position(String expression, String message) {
    assertThatThrownBy(() -> evaluate(expression.strip()))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining(message.strip())
        .satisfies(e -> assertThat(((ToolException) e).retryable()).isFalse())
        .satisfies(e -> assertThat(((ToolException) e).type()).isEqualTo("InvalidToolArguments"));
  }

  @Test
  void rejects_an_empty_expression() {
    assertThatThrownBy(() -> evaluate("   ")).isInstanceOf(ToolException.class).hasMessageContaining("empty");
  }

  @Test
  void rejects_absurd_nesting_instead_of_overflowing_the_stack() {
    assertThatThrownBy(() -> evaluate("(".repeat(500) + "1" + ")".repeat(500)))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("nests deeper than");
    assertThatThrownBy(() -> evaluate("-".repeat(1500) + "1"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("nests deeper than");
  }
}
