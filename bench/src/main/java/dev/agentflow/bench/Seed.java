package dev.agentflow.bench;

import java.util.List;

/** The seed's Go types, as Java records: what passes through workflow history in the baseline. */
public final class Seed {

  private Seed() {}

  public record AgentInput(String systemPrompt, String userMessage, int maxIterations) {}

  public record AgentResult(String output) {}

  public record Message(String role, String content, String toolCallId) {}

  public record ToolCall(String id, String name, String arguments) {}

  public record LlmResponse(boolean done, String content, List<ToolCall> toolCalls) {}

  public record ToolResult(String output) {}
}
