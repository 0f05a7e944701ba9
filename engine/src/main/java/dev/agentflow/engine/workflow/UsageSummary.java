package dev.agentflow.engine.workflow;

import dev.agentflow.engine.llm.TokenUsage;
import java.util.Map;

/**
 * Tokens spent by a run, per model name and in total.
 *
 * @param byModel model name (the definition's) to tokens, sorted by name
 */
public record UsageSummary(Map<String, TokenUsage> byModel, TokenUsage total) {}
