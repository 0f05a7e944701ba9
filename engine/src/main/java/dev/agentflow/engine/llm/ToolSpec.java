package dev.agentflow.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.tools.Tool;

/**
 * A tool as a model sees it: name, description and JSON Schema of the arguments. Providers turn it
 * into their own wire format; nothing else about the tool leaves the worker.
 */
public record ToolSpec(String name, String description, JsonNode parametersSchema) {

  public static ToolSpec of(Tool tool) {
    return new ToolSpec(tool.name(), tool.description(), tool.parametersSchema());
  }
}
