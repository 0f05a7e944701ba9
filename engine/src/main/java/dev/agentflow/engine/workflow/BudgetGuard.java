package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.engine.llm.TokenUsage;
import io.temporal.failure.ApplicationFailure;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Keeps a run inside its budgets: the definition's run budget, the cap a parent run put on this
 * child run ({@link RunOptions#budgetLimit()}), and each llm node's own budget (over all of that
 * node's calls in the run). Checked before every model call, reserving the call's {@code
 * maxTokens}, and after it; so a run never spends more than one call past a limit, and not even
 * that when models have {@code maxTokens}.
 *
 * <p>On exceed the budget's action decides: {@code fail} raises a non-retryable {@link
 * FailureTypes#BUDGET_EXCEEDED} naming the figures; {@code route} makes the node jump to the target
 * with {@code {budget: {…figures}}}; {@code ask} waits (through the {@link Inbox}) for the named
 * signal or update with {@code {addTokens?, addCostUsd?}} to raise the cap or {@code {stop: true}}
 * to fail.
 *
 * <p>With no budgets every check is a no-op: runs without budgets have exactly the history they
 * had before budgets existed.
 */
final class BudgetGuard {

  /** Tokens and US dollars. */
  record Spend(long tokens, double costUsd) {

    static final Spend ZERO = new Spend(0, 0);

    Spend plus(Spend other) {
      return new Spend(tokens + other.tokens, costUsd + other.costUsd);
    }
  }

  private final Budget runBudget;
  private final Budget parentLimit;
  private final RunState state;
  private final Inbox inbox;
  private final Map<String, Spend> byNode = new TreeMap<>();
  private final Map<String, Spend> raised = new TreeMap<>();
  private InputValidator askValidator;

  BudgetGuard(Budget runBudget, Budget parentLimit, RunState state, Inbox inbox) {
    this.runBudget = runBudget;
    this.parentLimit = parentLimit;
    this.state = state;
    this.inbox = inbox;
  }

  /** What continue-as-new must carry: spending per node and raises granted so far. */
  JsonNode carry() {
    ObjectNode carried = JsonNodeFactory.instance.objectNode();
    carried.set("byNode", spendJson(byNode));
    carried.set("raised", spendJson(raised));
    return carried;
  }

  /** Takes over what a previous run carried across continue-as-new. */
  void restore(JsonNode carried) {
    if (carried == null || carried.isNull()) {
      return;
    }
    carried.path("byNode").fields().forEachRemaining(e -> byNode.put(e.getKey(), spendOf(e.getValue())));
    carried.path("raised").fields().forEachRemaining(e -> raised.put(e.getKey(), spendOf(e.getValue())));
  }

  private static ObjectNode spendJson(Map<String, Spend> spends) {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    spends.forEach((key, spend) -> json.putObject(key).put("tokens", spend.tokens()).put("costUsd", spend.costUsd()));
    return json;
  }

  private static Spend spendOf(JsonNode json) {
    return new Spend(json.path("tokens").asLong(), json.path("costUsd").asDouble());
  }

  /**
   * Before a model call of {@code node}: returns null to go ahead, or the jump of a {@code route}
   * budget; blocks while asking; throws on {@code fail}.
   */
  NodeOutcome.Jump beforeCall(LlmNode node, Spend reserved) {
    return check(node, reserved, true);
  }

  /** After a model call of {@code node}: records what it spent, then checks as {@link #beforeCall}. */
  NodeOutcome.Jump afterCall(LlmNode node, TokenUsage usage, Double costUsd) {
    byNode.merge(node.id(), new Spend(usage.total(), costUsd == null ? 0 : costUsd), Spend::plus);
    return check(node, Spend.ZERO, false);
  }

  /**
   * What is left of the run-wide budgets (the run's own and its parent's limit, with raises), as a
   * budget for a child run; null when the run has no run-wide budget. The child fails when it hits
   * it: the parent decides what a failed child means.
   */
  Budget remaining() {
    Long tokens = null;
    Double cost = null;
    Spend spent = runSpend();
    for (String key : new String[] {"run", "limit"}) {
      Budget budget = "run".equals(key) ? runBudget : parentLimit;
      if (budget == null) {
        continue;
      }
      Spend raise = raised.getOrDefault(key, Spend.ZERO);
      if (budget.maxTokens() != null) {
        long left = Math.max(0, budget.maxTokens() + raise.tokens() - spent.tokens());
        tokens = tokens == null ? left : Math.min(tokens, left);
      }
      if (budget.maxCostUsd() != null) {
        double left = Math.max(0, budget.maxCostUsd() + raise.costUsd() - spent.costUsd());
        cost = cost == null ? left : Math.min(cost, left);
      }
    }
    return tokens == null && cost == null ? null : new Budget(tokens, cost, Budget.OnExceed.FAIL);
  }

  private NodeOutcome.Jump check(LlmNode node, Spend reserved, boolean before) {
    while (true) {
      Breach breach = firstBreach(node, reserved, before);
      if (breach == null) {
        return null;
      }
      Budget.OnExceed onExceed = breach.budget().onExceed() == null ? Budget.OnExceed.FAIL : breach.budget().onExceed();
      switch (onExceed.action()) {
        case "route":
          return new NodeOutcome.Jump(breach.toJson(), onExceed.target(), "budget exceeded: " + breach.label());
        case "ask":
          ask(node, breach, onExceed.target());
          break;
        default:
          throw breach.failure("");
      }
    }
  }

  private Breach firstBreach(LlmNode node, Spend reserved, boolean before) {
    Breach breach = breachOf("node:" + node.id(), "budget of node '" + node.id() + "'", node.budget(),
        byNode.getOrDefault(node.id(), Spend.ZERO), node, reserved, before);
    if (breach == null) {
      breach = breachOf("run", "run budget", runBudget, runSpend(), node, reserved, before);
    }
    if (breach == null) {
      breach = breachOf("limit", "budget given by the parent run", parentLimit, runSpend(), node, reserved, before);
    }
    return breach;
  }

  private Breach breachOf(
      String key, String label, Budget budget, Spend spent, LlmNode node, Spend reserved, boolean before) {
    if (budget == null) {
      return null;
    }
    Spend raise = raised.getOrDefault(key, Spend.ZERO);
    if (budget.maxTokens() != null) {
      long cap = budget.maxTokens() + raise.tokens();
      boolean over = before ? spent.tokens() >= cap || spent.tokens() + reserved.tokens() > cap : spent.tokens() > cap;
      if (over) {
        return new Breach(key, label, budget, node.id(), before, "tokens", spent, reserved, cap, budget.maxCostUsd());
      }
    }
    if (budget.maxCostUsd() != null) {
      double cap = budget.maxCostUsd() + raise.costUsd();
      boolean over = before
          ? spent.costUsd() >= cap || spent.costUsd() + reserved.costUsd() > cap
          : spent.costUsd() > cap;
      if (over) {
        Long tokenCap = budget.maxTokens() == null ? null : budget.maxTokens() + raise.tokens();
        return new Breach(key, label, budget, node.id(), before, "cost", spent, reserved, tokenCap, cap);
      }
    }
    return null;
  }

  private Spend runSpend() {
    UsageSummary usage = state.usage();
    return new Spend(usage.total().total(), usage.costUsd());
  }

  private void ask(LlmNode node, Breach breach, String signal) {
    Inbox.Delivery answer = inbox.await(node.id(), signal, askValidator(), null);
    JsonNode payload = answer.payload();
    if (payload.path("stop").asBoolean(false)) {
      throw breach.failure(" (stopped by '" + signal + "' via " + answer.via() + ")");
    }
    Spend raise = new Spend(payload.path("addTokens").asLong(0), payload.path("addCostUsd").asDouble(0));
    raised.merge(breach.key(), raise, Spend::plus);
  }

  private InputValidator askValidator() {
    if (askValidator == null) {
      JsonNodeFactory json = JsonNodeFactory.instance;
      ObjectNode properties = json.objectNode();
      properties.set("addTokens", json.objectNode().put("type", "integer").put("minimum", 0));
      properties.set("addCostUsd", json.objectNode().put("type", "number").put("minimum", 0));
      properties.set("stop", json.objectNode().put("type", "boolean"));
      ObjectNode schema = json.objectNode().put("type", "object").put("additionalProperties", false);
      schema.set("properties", properties);
      askValidator = InputValidator.forSchema(schema);
    }
    return askValidator;
  }

  /** One exceeded budget with the figures that show it. */
  private record Breach(
      String key,
      String label,
      Budget budget,
      String nodeId,
      boolean before,
      String dimension,
      Spend spent,
      Spend reserved,
      Long capTokens,
      Double capCostUsd) {

    ApplicationFailure failure(String suffix) {
      return ApplicationFailure.newNonRetryableFailure(message() + suffix, FailureTypes.BUDGET_EXCEEDED);
    }

    String message() {
      String when = before ? "before a model call of node '" + nodeId + "'" : "after a model call of node '" + nodeId + "'";
      String figures;
      if ("tokens".equals(dimension)) {
        figures = before
            ? spent.tokens() + " tokens spent + " + reserved.tokens() + " reserved, cap " + capTokens + " tokens"
            : spent.tokens() + " tokens spent, cap " + capTokens + " tokens";
      } else {
        figures = before
            ? usd(spent.costUsd()) + " spent + " + usd(reserved.costUsd()) + " reserved, cap " + usd(capCostUsd)
            : usd(spent.costUsd()) + " spent, cap " + usd(capCostUsd);
      }
      return label + " exceeded " + when + ": " + figures;
    }

    JsonNode toJson() {
      ObjectNode figures = RunContext.JSON.createObjectNode();
      figures.put("budget", key.startsWith("node:") ? "node" : key);
      figures.put("node", nodeId);
      figures.put("when", before ? "before call" : "after call");
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

    private static String usd(double value) {
      return String.format(Locale.ROOT, "$%.6f", value);
    }
  }
}
