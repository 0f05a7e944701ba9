package dev.agentflow.engine.llm;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.ModelSpec;
import java.util.List;

/**
 * Everything a {@link ChatProvider} needs for one call. Messages arrive with their content already
 * resolved from the blob store, so providers never touch it.
 *
 * @param messages the whole conversation, content resolved ({@code contentRef} is informational)
 * @param model the model's settings; {@code apiKey} is a secret reference the provider resolves
 * @param tools tools offered to the model, possibly empty
 * @param outputSchema JSON Schema the reply must satisfy, or null
 * @param graphName running graph (offline scripts are keyed by it)
 * @param nodeId calling node
 * @param callIndex 0-based index of this node's model calls in the run
 * @param egressAllow the definition's {@code egress.allow} (applies to a {@code baseUrl} it wrote), or
 *     null when it does not narrow
 */
public record ChatCall(
    List<ChatMessage> messages,
    ModelSpec model,
    List<ToolSpec> tools,
    JsonNode outputSchema,
    String graphName,
    String nodeId,
    int callIndex,
    List<String> egressAllow) {

  public ChatCall {
    messages = List.copyOf(messages);
    tools = List.copyOf(tools);
    egressAllow = egressAllow == null ? null : List.copyOf(egressAllow);
  }

  /** A call from a definition that does not narrow egress. */
  public ChatCall(
      List<ChatMessage> messages, ModelSpec model, List<ToolSpec> tools, JsonNode outputSchema, String graphName,
      String nodeId, int callIndex) {
    this(messages, model, tools, outputSchema, graphName, nodeId, callIndex, null);
  }
}
