package dev.agentflow.engine.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * Input of one MCP tool call activity.
 *
 * @param tool the server's name for the tool
 * @param origin who wrote the arguments, as in {@code ToolCallRequest}: {@code definition} or {@code
 *     model} (anything else counts as the model: the arguments are checked against the tool's schema)
 * @param snapshotSha256 the sha256 of the tool list the run recorded; a server whose list differs is
 *     reported ({@value McpToolActivities#TOOLS_CHANGED}), never silently used
 * @param snapshotRef the recorded list, to say what changed
 * @param egressAllow the definition's {@code egress.allow}, or null; an HTTP server's URL must be inside it
 */
public record McpCallRequest(
    String nodeId,
    String server,
    String tool,
    JsonNode arguments,
    String origin,
    String snapshotSha256,
    String snapshotRef,
    List<String> egressAllow) {

  /** The qualified name definitions use: {@code mcp.<server>/<tool>}. */
  public String qualifiedName() {
    return dev.agentflow.dsl.McpToolNames.qualified(server, tool);
  }
}
