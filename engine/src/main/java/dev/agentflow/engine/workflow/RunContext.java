package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.engine.expr.ExpressionException;
import dev.agentflow.engine.expr.ExpressionSandbox;
import dev.agentflow.engine.expr.Scope;
import io.temporal.failure.ApplicationFailure;

/**
 * What an executor may use while running a node: the graph, the run state, and expression
 * evaluation over that state. Expression failures leave here as non-retryable {@link
 * ApplicationFailure}s naming the node and the expression, never as other exceptions (those would
 * make Temporal retry the workflow task forever).
 */
final class RunContext {

  static final ObjectMapper JSON = new ObjectMapper();

  private final GraphDefinition graph;
  private final RunState state;
  private final ExpressionSandbox sandbox;

  RunContext(GraphDefinition graph, RunState state, ExpressionSandbox sandbox) {
    this.graph = graph;
    this.state = state;
    this.sandbox = sandbox;
  }

  GraphDefinition graph() {
    return graph;
  }

  RunState state() {
    return state;
  }

  /** Evaluates a JS expression; {@code output} is the current node's output (may be null). */
  JsonNode evaluate(String nodeId, String what, String expression, JsonNode output) {
    try {
      return sandbox.evaluate(expression, scope(output));
    } catch (ExpressionException e) {
      throw expressionFailure(nodeId, what, expression, e);
    }
  }

  /** JS truthiness of an expression. */
  boolean test(String nodeId, String what, String expression, JsonNode output) {
    try {
      return sandbox.test(expression, scope(output));
    } catch (ExpressionException e) {
      throw expressionFailure(nodeId, what, expression, e);
    }
  }

  /** Renders a {@code ${...}} template. */
  String render(String nodeId, String what, String template, JsonNode output) {
    if (template == null) {
      return null;
    }
    try {
      return sandbox.render(Template.parse(template), scope(output));
    } catch (ExpressionException e) {
      throw expressionFailure(nodeId, what, template, e);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + nodeId + "': " + what + " is not a valid template: " + e.getMessage(),
          FailureTypes.EXPRESSION_ERROR);
    }
  }

  private Scope scope(JsonNode output) {
    return new Scope(
        state.input(),
        state.nodesJson(),
        state.varsJson(),
        state.visitsJson(),
        state.usageJson(JSON),
        state.runJson(),
        output,
        null);
  }

  private static ApplicationFailure expressionFailure(
      String nodeId, String what, String expression, ExpressionException e) {
    return ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` failed: " + e.getMessage(),
        FailureTypes.EXPRESSION_ERROR);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
