package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.llm.TokenUsage;

/** Tokens and US dollars: what was spent, reserved, raised or is left of a budget. */
record Spend(long tokens, double costUsd) {

  static final Spend ZERO = new Spend(0, 0);

  /** A call's or a run's usage; a null cost counts as 0 (no price known). */
  static Spend of(TokenUsage usage, Double costUsd) {
    return new Spend(usage == null ? 0 : usage.total(), costUsd == null ? 0 : costUsd);
  }

  /** What a run spent, its children included. */
  static Spend of(UsageSummary usage) {
    return usage == null ? ZERO : new Spend(usage.total().total(), usage.costUsd());
  }

  Spend plus(Spend other) {
    return new Spend(tokens + other.tokens, costUsd + other.costUsd);
  }

  Spend minus(Spend other) {
    return new Spend(tokens - other.tokens, costUsd - other.costUsd);
  }

  /** As carried across continue-as-new: {@code {tokens, costUsd}}. */
  ObjectNode toJson() {
    return JsonNodeFactory.instance.objectNode().put("tokens", tokens).put("costUsd", costUsd);
  }

  static Spend fromJson(JsonNode json) {
    return new Spend(json.path("tokens").asLong(), json.path("costUsd").asDouble());
  }
}
