package dev.agentflow.dsl;

import java.util.List;
import java.util.stream.Collectors;

/** A definition (or input) was rejected; carries every problem found, not only the first. */
public class DefinitionException extends RuntimeException {

  private final List<Problem> problems;

  public DefinitionException(List<Problem> problems) {
    super(problems.stream().map(Problem::toString).collect(Collectors.joining("\n")));
    this.problems = List.copyOf(problems);
  }

  public List<Problem> problems() {
    return problems;
  }
}
