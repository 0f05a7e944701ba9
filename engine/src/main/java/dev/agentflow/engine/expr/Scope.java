package dev.agentflow.engine.expr;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The state an expression can read, one field per name of {@code ExpressionSyntax.SCOPE_NAMES}.
 *
 * <p>Any field may be {@code null} (or a {@code MissingNode}): the expression then sees JavaScript
 * {@code null}, the same as for a JSON {@code null}, so {@code vars.x ?? 'default'} and {@code
 * output == null} behave the same whether a value is absent or null. {@code output} (the current
 * node's output, for routes and {@code set:}) and {@code item} (the element of a map fan-out) are
 * often absent.
 */
public record Scope(
    JsonNode input,
    JsonNode nodes,
    JsonNode vars,
    JsonNode visits,
    JsonNode usage,
    JsonNode run,
    JsonNode output,
    JsonNode item,
    JsonNode index,
    JsonNode review) {

  /** Every field absent. */
  public static final Scope EMPTY = new Scope(null, null, null, null, null, null, null, null, null, null);

  /** A scope of the run's state, with no output, item, index or review. */
  public static Scope of(JsonNode input, JsonNode nodes, JsonNode vars, JsonNode visits, JsonNode usage, JsonNode run) {
    return new Scope(input, nodes, vars, visits, usage, run, null, null, null, null);
  }

  /** The same scope with {@code output} set, for a node's routes and {@code set:}. */
  public Scope withOutput(JsonNode newOutput) {
    return new Scope(input, nodes, vars, visits, usage, run, newOutput, item, index, review);
  }

  /** The same scope with {@code item} set, for one branch of a map fan-out. */
  public Scope withItem(JsonNode newItem) {
    return new Scope(input, nodes, vars, visits, usage, run, output, newItem, index, review);
  }

  /** The same scope with {@code item} and {@code index} set, for one branch of a fan-out. */
  public Scope withItem(JsonNode newItem, JsonNode newIndex) {
    return new Scope(input, nodes, vars, visits, usage, run, output, newItem, newIndex, review);
  }

  /** The same scope with {@code review} set, for a review node's author and reviewer. */
  public Scope withReview(JsonNode newReview) {
    return new Scope(input, nodes, vars, visits, usage, run, output, item, index, newReview);
  }

  /** The fields in the order of the wrapper function's parameters. */
  JsonNode[] inOrder() {
    return new JsonNode[] {input, nodes, vars, visits, usage, run, output, item, index, review};
  }
}
