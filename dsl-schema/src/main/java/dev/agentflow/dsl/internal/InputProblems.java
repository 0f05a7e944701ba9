package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import dev.agentflow.dsl.Problem;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns the validator's messages about a run input into problems: the JSON pointer of the
 * offending value and what was expected ({@code /count}: "expected integer, got string").
 */
public final class InputProblems {

  private InputProblems() {}

  public static List<Problem> toProblems(String source, List<Error> errors) {
    Set<Problem> problems = new LinkedHashSet<>();
    for (Error error : errors) {
      String pointer = SchemaProblems.pointer(error.getInstanceLocation());
      String keyword = error.getKeyword() == null ? "" : error.getKeyword();
      JsonNode value = error.getInstanceNode();
      Object[] arguments = error.getArguments() == null ? new Object[0] : error.getArguments();
      String message;
      switch (keyword) {
        case "required":
          pointer = JsonPointers.child(pointer, error.getProperty());
          message = "required property missing";
          break;
        case "additionalProperties":
          pointer = JsonPointers.child(pointer, error.getProperty());
          message = "property not allowed";
          break;
        case "type":
          message = "expected " + (arguments.length > 1 ? arguments[1] : "another type")
              + ", got " + PointerText.type(value);
          break;
        case "enum":
          message = "expected one of " + (arguments.length > 0 ? arguments[0] : "the allowed values")
              + ", got " + PointerText.value(value);
          break;
        default:
          message = error.getMessage();
          break;
      }
      problems.add(new Problem(source, 0, 0, pointer, message));
    }
    return new ArrayList<>(problems);
  }
}
