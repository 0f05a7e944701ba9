package dev.agentflow.bench;

import java.util.List;

/** The seed's Go types, as Java records: what passes through workflow history in the baseline. */
final class Seed {

  private Seed() {}

  record AgentInput(String systemPrompt, String userMessage, int maxIterations) {}

  record AgentResult(String output) {}

  record Message(String role, String content, String toolCallId) {}

  record ToolCall(String id, String name, String arguments) {}

  record LlmResponse(boolean done, String content, List<ToolCall> toolCalls) {}

  record ToolResult(String output) {}
}
