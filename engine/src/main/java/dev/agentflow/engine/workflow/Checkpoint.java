package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.TokenUsage;
import java.util.List;
import java.util.Map;

/**
 * Everything a run carries across continue-as-new: where it is, what expressions can see, what it
 * has spent, its trace, and the signals it has not consumed yet. A continued run starts from this
 * instead of from the graph's start node, so continuing is invisible to the graph.
 *
 * @param node the node to resume at
 * @param continuations how many times the run has continued as new, this time included
 * @param llmLoop where to resume inside that node's tool loop, or null to start the node afresh
 * @param inbox signals received and not yet consumed (event name to payloads, in arrival order)
 * @param budgetRaises budget raises granted so far (budget key to {tokens, costUsd})
 */
public record Checkpoint(
    String node,
    int continuations,
    JsonNode nodes,
    JsonNode vars,
    Map<String, Integer> visits,
    Map<String, Integer> llmCalls,
    Map<String, TokenUsage> usageByModel,
    Map<String, Double> costByModel,
    List<TraceEntry> trace,
    JsonNode lastOutput,
    LlmLoop llmLoop,
    JsonNode inbox,
    JsonNode budgetRaises) {

  /**
   * The state of an llm node's tool loop between two model calls.
   *
   * @param iteration model calls made so far in this visit
   * @param conversationRef the conversation so far
   * @param newMessages tool results not yet sent to the model
   * @param lastContent the model's last reply text
   */
  public record LlmLoop(
      String node, int iteration, String conversationRef, List<ChatMessage> newMessages, String lastContent) {}
}
