package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import dev.agentflow.dsl.internal.InputProblems;
import dev.agentflow.dsl.internal.Schemas;
import dev.agentflow.dsl.internal.TreeDepth;
import java.util.List;
import java.util.Optional;

/**
 * Checks a run's input against the definition's {@code input} schema before the run starts, so a
 * bad input is rejected with a clear message instead of failing some node later.
 *
 * <p>Compiles the schema once; {@link #validate(JsonNode)} is then thread-safe and does no I/O.
 * A definition without {@code input} accepts any input.
 */
public final class InputValidator {

  /** The source name input problems carry. */
  public static final String SOURCE = "<input>";

  private final Schema schema;

  private InputValidator(Schema schema) {
    this.schema = schema;
  }

  /** A validator for the input of {@code graph}. */
  public static InputValidator forGraph(GraphDefinition graph) {
    return forSchema(graph.inputSchema());
  }

  /** A validator for an input schema; null accepts anything. */
  public static InputValidator forSchema(JsonNode inputSchema) {
    return new InputValidator(inputSchema == null ? null : Schemas.compile(inputSchema));
  }

  /**
   * Every way {@code input} fails the schema, each with the JSON pointer of the offending value and
   * what was expected; empty when the input is accepted.
   */
  public List<Problem> validate(JsonNode input) {
    if (schema == null) {
      return List.of();
    }
    Optional<String> tooDeep = TreeDepth.deeperThan(input, ReadLimits.MAX_DEPTH_CAP);
    if (tooDeep.isPresent()) {
      // the validator recurses along the input wherever the schema does
      return List.of(new Problem(SOURCE, 0, 0, tooDeep.get(),
          "nested more than " + ReadLimits.MAX_DEPTH_CAP + " levels deep"));
    }
    Optional<String> notFinite = TreeDepth.firstNonFiniteNumber(input);
    if (notFinite.isPresent()) {
      return List.of(new Problem(SOURCE, 0, 0, notFinite.get(),
          "the number is out of range (larger than a 64-bit floating-point number)"));
    }
    List<Error> errors = schema.validate(input);
    return InputProblems.toProblems(SOURCE, errors);
  }

  /**
   * @throws DefinitionException carrying every problem when the input is not accepted
   */
  public void check(JsonNode input) {
    List<Problem> problems = validate(input);
    if (!problems.isEmpty()) {
      throw new DefinitionException(problems);
    }
  }
}
