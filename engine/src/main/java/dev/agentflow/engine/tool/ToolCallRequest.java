package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Input of one tool activity.
 *
 * @param nodeId node making the call
 * @param toolName registered tool name
 * @param arguments the call's arguments (a JSON object)
 */
public record ToolCallRequest(String nodeId, String toolName, JsonNode arguments) {}
