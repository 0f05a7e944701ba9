package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;

/**
 * {@code calculator}: evaluates an arithmetic expression, because models are bad at arithmetic.
 * Supports {@code + - * / % ^}, parentheses, unary minus, decimals and exponents ({@code 1.5e3}),
 * the functions {@code sqrt abs min max round floor ceil} and the constants {@code pi e}.
 *
 * <p>Result: the value as a JSON number, an integer when the value is a whole number that fits a
 * long ({@code "2+3"} gives {@code 5}, not {@code 5.0}). Syntax errors, division by zero and
 * non-finite results are non-retryable {@code InvalidToolArguments} naming the position.
 */
public final class CalculatorTool implements Tool {

  private static final JsonNode SCHEMA = Json.schema("""
      {"type": "object",
       "required": ["expression"],
       "properties": {"expression": {"type": "string",
         "description": "Arithmetic such as '2 * (3 + 4) ^ 2 / sqrt(16)'. Operators + - * / % ^; functions sqrt abs min max round floor ceil; constants pi e."}},
       "additionalProperties": false}
      """);

  @Override
  public String name() {
    return "calculator";
  }

  @Override
  public String description() {
    return "Evaluates an arithmetic expression exactly as written and returns the number. "
        + "Operators: + - * / % ^ and parentheses; functions: sqrt, abs, min, max, round, floor, ceil; constants: pi, e.";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public JsonNode call(ToolContext context) throws ToolException {
    Json.arguments(context);
    double value = ArithmeticParser.evaluate(context.requiredString("expression"));
    if (!Double.isFinite(value)) {
      throw ToolException.invalidArguments("the result is not a finite number (" + value + ")");
    }
    if (value == Math.rint(value) && Math.abs(value) < 0x1p53) {
      return JsonNodeFactory.instance.numberNode((long) value);
    }
    return JsonNodeFactory.instance.numberNode(value);
  }
}
