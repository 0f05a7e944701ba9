package dev.agentflow.engine.workflow;

import dev.agentflow.engine.llm.TokenUsage;
import java.util.Map;

/**
 * Tokens and cost spent by a run (its child runs included), per model name and in total. Cost is
 * only as complete as the price table: calls to a model without a price add tokens but no cost.
 *
 * @param byModel model name (the definition's) to tokens, sorted by name
 * @param total tokens over all models
 * @param costByModel model name to US dollars, sorted by name; only models with a known price
 * @param costUsd US dollars over all models
 */
public record UsageSummary(Map<String, TokenUsage> byModel, TokenUsage total, Map<String, Double> costByModel, double costUsd) {

  /** Tokens only, no cost known. */
  public UsageSummary(Map<String, TokenUsage> byModel, TokenUsage total) {
    this(byModel, total, Map.of(), 0.0);
  }
}
