package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;

/**
 * One exceeded budget with the figures that show it: which budget, at which moment, in which
 * dimension, spent and reserved against the cap. Its message and JSON are what a run's failure, a
 * {@code route} target's {@code output.budget} and the trace say.
 *
 * @param scope the budget that is exceeded
 * @param onExceed what that budget says to do
 * @param nodeId the node that met the limit
 * @param branch the fan-out branch whose child run used up its share, or null
 * @param dimension {@code tokens} or {@code cost}
 * @param spent what the budget's scope has spent
 * @param reserved what was reserved against it (calls and child runs in flight, and the one asking)
 * @param capTokens the token cap (raises included), or null
 * @param capCostUsd the cost cap (raises included), or null
 */
record BudgetBreach(
    BudgetScope scope,
    Budget.OnExceed onExceed,
    String nodeId,
    String branch,
    Moment moment,
    String dimension,
    Spend spent,
    Spend reserved,
    Long capTokens,
    Double capCostUsd) {

  /** When a budget was found exceeded. */
  enum Moment {
    BEFORE_CALL("before call", "before a model call of node '%s'"),
    AFTER_CALL("after call", "after a model call of node '%s'"),
    BEFORE_CHILD("before child", "before a child run of node '%s' could start"),
    CHILD_RAN_OUT("child ran out", "when the child run of node '%s' used up its share");

    private final String json;
    private final String text;

    Moment(String json, String text) {
      this.json = json;
      this.text = text;
    }

    boolean before() {
      return this == BEFORE_CALL || this == BEFORE_CHILD;
    }
  }

  /** The non-retryable BudgetExceeded failure that ends the node (and, unless caught, the run). */
  ApplicationFailure failure(String suffix) {
    return ApplicationFailure.newNonRetryableFailure(message() + suffix, FailureTypes.BUDGET_EXCEEDED);
  }

  /** {@code run budget exceeded after a model call of node 'x': 1050 tokens spent, cap 1000 tokens}. */
  String message() {
    String figures;
    if ("tokens".equals(dimension)) {
      figures = moment.before()
          ? spent.tokens() + " tokens spent + " + reserved.tokens() + " reserved, cap " + capTokens + " tokens"
          : spent.tokens() + " tokens spent, cap " + capTokens + " tokens";
    } else {
      figures = moment.before()
          ? usd(spent.costUsd()) + " spent + " + usd(reserved.costUsd()) + " reserved, cap " + usd(capCostUsd)
          : usd(spent.costUsd()) + " spent, cap " + usd(capCostUsd);
    }
    String when = branch == null
        ? moment.text.formatted(nodeId)
        : moment.text.replace("node '%s'", "branch '" + branch + "' of node '" + nodeId + "'");
    return scope.label() + " exceeded " + when + ": " + figures;
  }

  /** {@code {budget: {budget, node, when, exceeded, spentTokens, …, message}}}: a route target's output. */
  ObjectNode toJson() {
    ObjectNode figures = RunContext.JSON.createObjectNode();
    figures.put("budget", scope.kind());
    figures.put("node", nodeId);
    if (branch != null) {
      figures.put("branch", branch);
    }
    figures.put("when", moment.json);
    figures.put("exceeded", dimension);
    figures.put("spentTokens", spent.tokens());
    figures.put("reservedTokens", reserved.tokens());
    if (capTokens != null) {
      figures.put("maxTokens", capTokens);
    }
    figures.put("spentCostUsd", spent.costUsd());
    figures.put("reservedCostUsd", reserved.costUsd());
    if (capCostUsd != null) {
      figures.put("maxCostUsd", capCostUsd);
    }
    figures.put("message", message());
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.set("budget", figures);
    return output;
  }

  /** The jump of a {@code route} budget, with {@code output} as the target's input. */
  NodeOutcome.Jump jump(JsonNode output) {
    return new NodeOutcome.Jump(output, onExceed.target(), "budget exceeded: " + scope.label());
  }

  private static String usd(double value) {
    return String.format(Locale.ROOT, "$%.6f", value);
  }
}
