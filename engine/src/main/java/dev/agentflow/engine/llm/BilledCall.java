package dev.agentflow.engine.llm;

/**
 * What a model call that the provider answered (and billed) spent, when the activity still fails
 * it (a content-filter stop, say): carried in the failure's details, so the run counts it.
 *
 * @param usage tokens of the reply
 * @param costUsd its cost, or null when no price is known
 */
public record BilledCall(TokenUsage usage, Double costUsd) {}
