package dev.agentflow.dsl;

import java.util.List;

/**
 * Ends the run.
 *
 * @param output JS expression whose value is the run's output, or null for the last node's output
 */
public record EndNode(String id, String output) implements Node {

  @Override
  public Transitions transitions() {
    return Transitions.NONE;
  }

  @Override
  public String kind() {
    return "end";
  }

  @Override
  public List<Target> targets() {
    return List.of();
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.expression("output", output);
  }
}
