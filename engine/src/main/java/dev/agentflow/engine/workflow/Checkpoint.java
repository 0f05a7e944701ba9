package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.TokenUsage;
import dev.agentflow.engine.mcp.McpToolSnapshot;
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
 * @param fanOut where to resume inside that node's fan-out, or null to start the node afresh
 * @param mcpTools the MCP tool lists the run recorded, by server (left out when empty), so the
 *     continued run offers and calls the same tools
 * @param rejectedSignals signals rejected so far (the trace keeps only the first few)
 * @param waiting where to resume inside that node's wait, or null to start the node afresh
 * @param events the live events the ending run recorded (left out when empty), so a client
 *     following the run from an offset loses none ({@link RunEvents})
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
    JsonNode budgetRaises,
    FanOut fanOut,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) Map<String, McpToolSnapshot> mcpTools,
    long rejectedSignals,
    Wait waiting,
    @JsonInclude(JsonInclude.Include.NON_EMPTY) List<RunEvent> events) {

  /**
   * A wait node that continued as new while it waited (its history grew long with signals, or it
   * waited for days): the next run waits again for what is left of the timeout.
   *
   * @param deadlineMillis workflow time when the wait times out, or null for a wait without timeout
   * @param startedAtMillis workflow time when the wait started, in the run that started it
   */
  public record Wait(String node, Long deadlineMillis, long startedAtMillis) {}

  /**
   * The state of an llm node's tool loop between two model calls.
   *
   * @param iteration model calls made so far in this visit
   * @param conversationRef the conversation so far
   * @param newMessages tool results not yet sent to the model
   * @param lastContent the model's last reply text
   * @param startedAtMillis workflow time when the node started, before any continue-as-new (null
   *     in checkpoints written before it was carried)
   * @param conversationTokens tokens of the conversation so far (the last call's input and
   *     output), for the next call's budget estimate; null when unknown
   */
  public record LlmLoop(
      String node,
      int iteration,
      String conversationRef,
      List<ChatMessage> newMessages,
      String lastContent,
      Long startedAtMillis,
      Long conversationTokens) {}

  /**
   * The progress of a map or parallel node that drained its pending branches and continued as new:
   * branches {@code 0 .. next-1} have finished, the rest have not started. The next run recomputes
   * the branch list, checks it is the same one ({@code branchCount}, {@code branchDigest}) and
   * starts branch {@code next}.
   *
   * @param visit the node's visit, part of every child workflow id
   * @param branchCount how many branches the node has
   * @param branchDigest SHA-256 of every branch's key and input, in order
   * @param next index of the first branch not started yet
   * @param finished {@code {"results": [the first next results], "failures": {key: error}}}, or null
   *     when it was too large to carry and is stored by reference
   * @param finishedRef blob reference of {@code finished} when it is stored by reference, else null
   * @param usage tokens the node's children have spent so far
   * @param costUsd US dollars the node's children have spent so far
   * @param peakConcurrency most children pending at once so far
   * @param deadlineMillis workflow time when the node's timeout fires, or null without a timeout
   * @param startedAtMillis workflow time when the node started, before any continue-as-new (null
   *     in checkpoints written before it was carried)
   */
  public record FanOut(
      String node,
      int visit,
      int branchCount,
      String branchDigest,
      int next,
      int succeeded,
      int failed,
      JsonNode finished,
      String finishedRef,
      TokenUsage usage,
      double costUsd,
      int peakConcurrency,
      Long deadlineMillis,
      Long startedAtMillis) {}
}
