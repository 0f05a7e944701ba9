package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.InputValidator;
import java.util.Map;
import java.util.TreeMap;

/**
 * What humans added to a run's budgets when an {@code onExceed: {ask: signal}} budget asked them:
 * per budget, the tokens and dollars granted so far. Asking waits (through the {@link Inbox}) for
 * the signal or update with {@code {addTokens?, addCostUsd?}}, or {@code {stop: true}} to fail.
 */
final class BudgetRaises {

  private final Inbox inbox;
  private final Map<BudgetScope, Spend> raised = new TreeMap<>();
  private InputValidator validator;

  BudgetRaises(Inbox inbox) {
    this.inbox = inbox;
  }

  /** What was added to {@code scope} so far. */
  Spend of(BudgetScope scope) {
    return raised.getOrDefault(scope, Spend.ZERO);
  }

  /**
   * Asks for more of {@code breach}'s budget and waits for the answer: adds the raise, or returns
   * how the human said stop ({@code " (stopped by 'x' via update)"}), for the failure's message.
   */
  String ask(BudgetBreach breach) {
    String signal = breach.onExceed().target();
    Inbox.Delivery answer = inbox.await(breach.nodeId(), signal, validator(), null);
    JsonNode payload = answer.payload();
    if (payload.path("stop").asBoolean(false)) {
      return " (stopped by '" + signal + "' via " + answer.via() + ")";
    }
    Spend raise = new Spend(payload.path("addTokens").asLong(0), payload.path("addCostUsd").asDouble(0));
    raised.merge(breach.scope(), raise, Spend::plus);
    return null;
  }

  /** The raises as continue-as-new carries them: carry key to {@code {tokens, costUsd}}. */
  ObjectNode carry() {
    ObjectNode json = JsonNodeFactory.instance.objectNode();
    raised.forEach((scope, spend) -> json.set(scope.carryKey(), spend.toJson()));
    return json;
  }

  /** Takes over the raises a previous run carried. */
  void restore(JsonNode carried) {
    carried.fields().forEachRemaining(
        e -> raised.put(BudgetScope.fromCarryKey(e.getKey()), Spend.fromJson(e.getValue())));
  }

  private InputValidator validator() {
    if (validator == null) {
      JsonNodeFactory json = JsonNodeFactory.instance;
      ObjectNode properties = json.objectNode();
      properties.set("addTokens", json.objectNode().put("type", "integer").put("minimum", 0));
      properties.set("addCostUsd", json.objectNode().put("type", "number").put("minimum", 0));
      properties.set("stop", json.objectNode().put("type", "boolean"));
      ObjectNode schema = json.objectNode().put("type", "object").put("additionalProperties", false);
      schema.set("properties", properties);
      validator = InputValidator.forSchema(schema);
    }
    return validator;
  }
}
