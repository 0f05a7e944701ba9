package dev.agentflow.engine.llm.offline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.llm.ChatCall;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.ChatProvider;
import dev.agentflow.engine.llm.ChatReply;
import dev.agentflow.engine.llm.LlmCallException;
import dev.agentflow.engine.llm.TokenUsage;
import dev.agentflow.engine.llm.ToolCall;
import java.util.ArrayList;
import java.util.List;

/**
 * Answers from an {@link OfflineScript}: the reply for a call is {@code replies[nodeId][callIndex]},
 * the last one repeating when the list runs out. Deterministic (tool call ids are {@code
 * call_<node>_<callIndex>_<i>}), so a retried call gets the same reply. Runs graphs without a key.
 */
public final class ScriptedChatProvider implements ChatProvider {

  private static final int CHARS_PER_TOKEN = 4;

  private final ScriptLibrary library;

  public ScriptedChatProvider(ScriptLibrary library) {
    this.library = library;
  }

  @Override
  public ChatReply chat(ChatCall call) {
    OfflineScript script =
        library
            .forGraph(call.graphName())
            .orElseThrow(
                () ->
                    LlmCallException.offlineScriptMissing(
                        "no offline script for graph '" + call.graphName() + "' (node '" + call.nodeId()
                            + "'); scripts loaded: " + library.sources()));
    List<ScriptedReply> replies = script.replies().get(call.nodeId());
    if (replies == null || replies.isEmpty()) {
      throw LlmCallException.offlineScriptMissing(
          "offline script " + script.source() + " has no replies for node '" + call.nodeId() + "' of graph '"
              + call.graphName() + "'");
    }
    ScriptedReply reply = replies.get(Math.min(call.callIndex(), replies.size() - 1));
    delay(reply);
    List<ToolCall> toolCalls = toolCalls(reply, call);
    String content = reply.content() == null ? "" : reply.content();
    String finishReason =
        reply.finishReason() != null ? reply.finishReason() : toolCalls.isEmpty() ? "stop" : "tool_calls";
    return new ChatReply(content, toolCalls, finishReason, usage(reply, call, content, toolCalls));
  }

  private static void delay(ScriptedReply reply) {
    if (reply.delayMs() == null || reply.delayMs() <= 0) {
      return;
    }
    try {
      Thread.sleep(reply.delayMs());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LlmCallException.providerUnavailable("the scripted reply was interrupted while it waited");
    }
  }

  private static List<ToolCall> toolCalls(ScriptedReply reply, ChatCall call) {
    List<ToolCall> calls = new ArrayList<>();
    for (int i = 0; i < reply.toolCalls().size(); i++) {
      ScriptedReply.ScriptedToolCall scripted = reply.toolCalls().get(i);
      String id = "call_" + call.nodeId() + "_" + call.callIndex() + "_" + i;
      calls.add(new ToolCall(id, scripted.name(), argumentsJson(scripted.arguments())));
    }
    return calls;
  }

  private static String argumentsJson(JsonNode arguments) {
    if (arguments == null || arguments.isNull()) {
      return "{}";
    }
    return arguments.isTextual() ? arguments.asText() : arguments.toString();
  }

  private static TokenUsage usage(ScriptedReply reply, ChatCall call, String content, List<ToolCall> toolCalls) {
    if (reply.usage() != null) {
      return new TokenUsage(reply.usage().input(), reply.usage().output());
    }
    long inputChars = 0;
    for (ChatMessage message : call.messages()) {
      inputChars += message.content() == null ? 0 : message.content().length();
    }
    long outputChars = content.length();
    for (ToolCall toolCall : toolCalls) {
      outputChars += toolCall.name().length() + toolCall.argumentsJson().length();
    }
    return new TokenUsage(tokens(inputChars), tokens(outputChars));
  }

  private static long tokens(long chars) {
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }
}
