package dev.agentflow.engine.config;

/**
 * A model provider as the operator sets it up ({@code providers.<name>} in the engine config).
 *
 * @param baseUrl the provider's endpoint for models that name none (e.g. a local Ollama or vLLM);
 *     trusted like {@code OPENAI_BASE_URL}, which it overrides: the egress policy applies only to
 *     base URLs written in definitions
 */
public record ProviderSettings(String baseUrl) {}
