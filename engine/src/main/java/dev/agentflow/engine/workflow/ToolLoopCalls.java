package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.tool.ToolActivities;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;

/**
 * The tool calls of an llm node's loop: each runs as its own activity, and its result (or {@code
 * Error: …}, so the model can react) becomes a tool message for the next model call. A cancelled
 * run is never reported to the model as a tool error: the cancellation goes on up.
 */
final class ToolLoopCalls {

  /** A tool message and its size in characters (for the next call's budget estimate). */
  record Reply(ChatMessage message, long chars) {}

  private ToolLoopCalls() {}

  static Reply run(LlmNode node, ToolCall call, RunContext context) {
    if (!node.tools().contains(call.name())) {
      return text(call, "Error: unknown tool '" + call.name() + "'; available: " + node.tools());
    }
    JsonNode arguments;
    try {
      arguments = RunContext.JSON.readTree(call.argumentsJson() == null ? "{}" : call.argumentsJson());
    } catch (JsonProcessingException e) {
      return text(call, "Error: the arguments are not valid JSON: " + e.getOriginalMessage());
    }
    ToolSettings settings = context.graph().tools().getOrDefault(call.name(), ToolSettings.DEFAULT);
    boolean heartbeating = context.versions().cancellation();
    ToolActivities tools =
        Workflow.newActivityStub(
            ToolActivities.class, ActivityOptionsFactory.forTool(node.id(), call.name(), settings, heartbeating));
    try {
      ToolCallResult result = tools.callTool(new ToolCallRequest(
          node.id(), call.name(), arguments, ToolCallRequest.FROM_MODEL, context.graph().egressAllow()));
      if (result.valueRef() != null) {
        return new Reply(ChatMessage.toolResult(call, null, result.valueRef()), result.sizeBytes());
      }
      JsonNode value = result.value();
      return text(call, value == null ? "null" : value.isTextual() ? value.asText() : value.toString());
    } catch (ActivityFailure failure) {
      ActivityFailures.rethrowIfCancelled(failure, context.versions());
      return text(call, "Error: " + ActivityFailures.messageOf(failure));
    }
  }

  static Reply text(ToolCall call, String text) {
    return new Reply(ChatMessage.toolResult(call, text, null), text.length());
  }
}
