package dev.agentflow.engine.llm;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.Price;
import dev.agentflow.engine.mcp.McpToolOffer;
import java.util.List;

/**
 * Input of one LLM activity. The conversation so far travels as a reference; only the messages
 * new to this call travel by value, so workflow history does not grow with the conversation.
 *
 * @param graphName the running graph's name (offline scripts are keyed by it)
 * @param nodeId node making the call
 * @param callIndex 0-based count of earlier model calls by this node in this run
 * @param modelName the definition's name for the model
 * @param model the model's settings (secrets only by reference)
 * @param conversationRef blob reference of the conversation so far, or null to start one
 * @param newMessages messages to append before calling
 * @param toolNames tools offered to the model; their schemas come from the worker's tool registry
 * @param outputSchema JSON Schema for a structured reply, or null
 * @param price the definition's price for this model, or null: the activity then uses the
 *     worker's price table (by provider model name), and reports no cost when neither knows it
 * @param egressAllow the definition's {@code egress.allow}, or null when it does not narrow (applies
 *     to a model {@code baseUrl} the definition wrote)
 * @param reportSchemaMismatch true: a final answer that does not match {@code outputSchema} comes
 *     back as a result with {@link LlmCallResult#schemaErrors()} (the node then asks the model to
 *     repair it, and the billed call counts); false or null: it fails the call with a retryable
 *     {@code OutputSchemaMismatch}, as for runs recorded before repairs existed
 * @param mcpTools MCP tools offered to the model, from the lists the run recorded; null (and left
 *     out of the payload, so histories without MCP tools do not change) when there are none
 * @param reportCapacityWait true: the run listens for {@link
 *     dev.agentflow.engine.llm.admission.CapacityWait} signals, so a call that waits long for its
 *     pool's capacity tells it; null (left out of the payload) for runs of builds without the signal
 */
public record LlmCallRequest(
    String graphName,
    String nodeId,
    int callIndex,
    String modelName,
    ModelSpec model,
    String conversationRef,
    List<ChatMessage> newMessages,
    List<String> toolNames,
    JsonNode outputSchema,
    Price price,
    List<String> egressAllow,
    Boolean reportSchemaMismatch,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<McpToolOffer> mcpTools,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean reportCapacityWait) {

  /** A request that offers no MCP tools. */
  public LlmCallRequest(
      String graphName,
      String nodeId,
      int callIndex,
      String modelName,
      ModelSpec model,
      String conversationRef,
      List<ChatMessage> newMessages,
      List<String> toolNames,
      JsonNode outputSchema,
      Price price,
      List<String> egressAllow) {
    this(graphName, nodeId, callIndex, modelName, model, conversationRef, newMessages, toolNames, outputSchema, price,
        egressAllow, null, null, null);
  }

  /** A request from a definition that does not narrow egress, failing on a schema mismatch. */
  public LlmCallRequest(
      String graphName,
      String nodeId,
      int callIndex,
      String modelName,
      ModelSpec model,
      String conversationRef,
      List<ChatMessage> newMessages,
      List<String> toolNames,
      JsonNode outputSchema,
      Price price) {
    this(graphName, nodeId, callIndex, modelName, model, conversationRef, newMessages, toolNames, outputSchema, price,
        null, null, null, null);
  }

  /** Whether a schema mismatch comes back as a result rather than a failure. */
  public boolean reportsSchemaMismatch() {
    return Boolean.TRUE.equals(reportSchemaMismatch);
  }

  /** Whether the run wants to hear that this call waits for its pool's capacity. */
  public boolean reportsCapacityWait() {
    return Boolean.TRUE.equals(reportCapacityWait);
  }

  /** A request without a price from the definition. */
  public LlmCallRequest(
      String graphName,
      String nodeId,
      int callIndex,
      String modelName,
      ModelSpec model,
      String conversationRef,
      List<ChatMessage> newMessages,
      List<String> toolNames,
      JsonNode outputSchema) {
    this(graphName, nodeId, callIndex, modelName, model, conversationRef, newMessages, toolNames, outputSchema, null,
        null, null, null, null);
  }
}
