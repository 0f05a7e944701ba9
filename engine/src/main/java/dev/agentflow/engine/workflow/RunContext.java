package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.engine.expr.ExpressionException;
import dev.agentflow.engine.expr.ExpressionSandbox;
import dev.agentflow.engine.expr.Scope;
import io.temporal.failure.ApplicationFailure;
import java.util.function.UnaryOperator;
import java.util.Set;

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
  private final Inbox inbox;
  private final BudgetLedger budget;
  private final RunVersions versions;
  private final UnaryOperator<Scope> extraScope;
  private Continuation continuation;

  RunContext(GraphDefinition graph, RunState state, ExpressionSandbox sandbox) {
    this(graph, state, sandbox, new Inbox(state, Set.of()), new RunVersions());
  }

  private RunContext(GraphDefinition graph, RunState state, ExpressionSandbox sandbox, Inbox inbox, RunVersions versions) {
    this(graph, state, sandbox, inbox, new BudgetLedger(null, null, state, inbox, versions), versions);
  }

  RunContext(
      GraphDefinition graph, RunState state, ExpressionSandbox sandbox, Inbox inbox, BudgetLedger budget,
      RunVersions versions) {
    this(graph, state, sandbox, inbox, budget, versions, UnaryOperator.identity());
  }

  private RunContext(
      GraphDefinition graph,
      RunState state,
      ExpressionSandbox sandbox,
      Inbox inbox,
      BudgetLedger budget,
      RunVersions versions,
      UnaryOperator<Scope> extraScope) {
    this.graph = graph;
    this.state = state;
    this.sandbox = sandbox;
    this.inbox = inbox;
    this.budget = budget;
    this.versions = versions;
    this.extraScope = extraScope;
  }

  /** Attaches continue-as-new; a context without one never continues (warm-up, tests). */
  RunContext withContinuation(Continuation continuation) {
    this.continuation = continuation;
    return this;
  }

  /** Continue-as-new for this run, or null. */
  Continuation continuation() {
    return continuation;
  }

  /** The same run, with {@code review} visible to expressions (a review node's author and reviewer). */
  RunContext withReview(JsonNode review) {
    return new RunContext(graph, state, sandbox, inbox, budget, versions, scope -> extraScope.apply(scope).withReview(review))
        .withContinuation(continuation);
  }

  /** The same run, with {@code item} and {@code index} visible to expressions (one fan-out branch). */
  RunContext withItem(JsonNode item, JsonNode index) {
    return new RunContext(graph, state, sandbox, inbox, budget, versions, scope -> extraScope.apply(scope).withItem(item, index))
        .withContinuation(continuation);
  }

  GraphDefinition graph() {
    return graph;
  }

  RunState state() {
    return state;
  }

  /** Signals and updates sent to the run (wait nodes, budget questions). */
  Inbox inbox() {
    return inbox;
  }

  /** The run's budget ledger; checks are no-ops when there are no budgets. */
  BudgetLedger budget() {
    return budget;
  }

  /** The {@code getVersion} guards of this run's behaviour changes. */
  RunVersions versions() {
    return versions;
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
    Scope scope =
        Scope.of(
            state.input(),
            state.nodesJson(),
            state.varsJson(),
            state.visitsJson(),
            state.usageJson(JSON),
            state.runJson());
    return extraScope.apply(scope.withOutput(output));
  }

  /**
   * The run fails for what the expression does on every replay; a wall-clock time limit depends on
   * the machine instead, so it fails only this workflow task, which Temporal retries.
   */
  private static RuntimeException expressionFailure(
      String nodeId, String what, String expression, ExpressionException e) {
    if (e.kind() == ExpressionException.Kind.TIME_LIMIT) {
      return new ExpressionTimeLimitException(
          "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` " + e.getMessage()
              + "; the workflow task is retried, since a wall-clock limit depends on the machine",
          e);
    }
    return ApplicationFailure.newNonRetryableFailure(
        "node '" + nodeId + "': " + what + " `" + abbreviate(expression) + "` failed: " + e.getMessage(),
        FailureTypes.EXPRESSION_ERROR);
  }

  private static String abbreviate(String text) {
    return text.length() <= 200 ? text : text.substring(0, 200) + "…";
  }
}
