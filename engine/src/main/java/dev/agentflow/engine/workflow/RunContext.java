package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.engine.expr.ExpressionSandbox;
import dev.agentflow.engine.expr.Scope;
import io.temporal.failure.ApplicationFailure;
import java.util.function.UnaryOperator;

/**
 * What an executor may use while running a node: the graph, the run state, and expression
 * evaluation over that state. Expression failures leave here as non-retryable {@link
 * ApplicationFailure}s naming the node and the expression ({@link ExpressionGuard}), never as other
 * exceptions (those would make Temporal retry the workflow task forever). Outputs stored by
 * reference are read as their values ({@link ReferencedOutputs}) in runs that have that guarantee.
 */
final class RunContext {

  static final ObjectMapper JSON = JsonMappers.json();

  private final GraphDefinition graph;
  private final RunState state;
  private final ExpressionSandbox sandbox;
  private final Inbox inbox;
  private final BudgetLedger budget;
  private final RunVersions versions;
  private final Expressions expressions;
  private final UnaryOperator<Scope> extraScope;
  private Continuation continuation;

  /** How a run evaluates: the guard of its evaluations, and its loaded references (null when not read). */
  record Expressions(ExpressionGuard guard, ReferencedOutputs references) {}

  RunContext(
      GraphDefinition graph,
      RunState state,
      ExpressionSandbox sandbox,
      Inbox inbox,
      BudgetLedger budget,
      RunVersions versions,
      Expressions expressions) {
    this(graph, state, sandbox, inbox, budget, versions, expressions, UnaryOperator.identity());
  }

  private RunContext(
      GraphDefinition graph,
      RunState state,
      ExpressionSandbox sandbox,
      Inbox inbox,
      BudgetLedger budget,
      RunVersions versions,
      Expressions expressions,
      UnaryOperator<Scope> extraScope) {
    this.graph = graph;
    this.state = state;
    this.sandbox = sandbox;
    this.inbox = inbox;
    this.budget = budget;
    this.versions = versions;
    this.expressions = expressions;
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
    return new RunContext(graph, state, sandbox, inbox, budget, versions, expressions,
        scope -> extraScope.apply(scope).withReview(review)).withContinuation(continuation);
  }

  /** The same run, with {@code item} and {@code index} visible to expressions (one fan-out branch). */
  RunContext withItem(JsonNode item, JsonNode index) {
    return new RunContext(graph, state, sandbox, inbox, budget, versions, expressions,
        scope -> extraScope.apply(scope).withItem(item, index)).withContinuation(continuation);
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
    Scope scope = scope(nodeId, what, expression, output);
    return expressions.guard().evaluate(nodeId, what, expression, () -> sandbox.evaluate(expression, scope));
  }

  /** JS truthiness of an expression. */
  boolean test(String nodeId, String what, String expression, JsonNode output) {
    Scope scope = scope(nodeId, what, expression, output);
    return expressions.guard().evaluate(nodeId, what, expression, () -> sandbox.test(expression, scope));
  }

  /** Renders a {@code ${...}} template. */
  String render(String nodeId, String what, String template, JsonNode output) {
    if (template == null) {
      return null;
    }
    Template parsed;
    try {
      parsed = Template.parse(template);
    } catch (IllegalArgumentException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + nodeId + "': " + what + " is not a valid template: " + e.getMessage(),
          FailureTypes.EXPRESSION_ERROR);
    }
    String code = parsed.parts().stream()
        .filter(part -> part instanceof Template.Expression)
        .map(part -> ((Template.Expression) part).source())
        .collect(java.util.stream.Collectors.joining("\n"));
    Scope scope = scope(nodeId, what, code, output);
    return expressions.guard().evaluate(nodeId, what, template, () -> sandbox.render(parsed, scope));
  }

  /** The scope of {@code code} (an expression, or the expressions of a template). */
  private Scope scope(String nodeId, String what, String code, JsonNode output) {
    Scope scope =
        extraScope.apply(
            Scope.of(
                    state.input(),
                    state.nodesJson(),
                    state.varsJson(),
                    state.visitsJson(),
                    state.usageJson(JSON),
                    state.runJson())
                .withOutput(output));
    return expressions.references() == null ? scope : expressions.references().resolve(nodeId, what, code, scope);
  }
}
