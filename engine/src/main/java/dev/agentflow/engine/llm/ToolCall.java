package dev.agentflow.engine.llm;

/**
 * A tool call requested by a model.
 *
 * @param id provider's call id, echoed back in the tool message
 * @param name tool name
 * @param argumentsJson arguments as the model wrote them (a JSON object text)
 */
public record ToolCall(String id, String name, String argumentsJson) {}
