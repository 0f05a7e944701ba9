package dev.agentflow.engine.mcp;

import java.util.List;

/**
 * MCP tools an llm node offers its model, for the LLM activity: the recorded list (by reference)
 * and which of its tools. The activity reads their descriptions and schemas from the list, never
 * from the live server, so every call of a run shows the model the same tools.
 */
public record McpToolOffer(String server, String listRef, List<String> tools) {

  public McpToolOffer {
    tools = List.copyOf(tools);
  }
}
