package dev.agentflow.engine.mcp;

import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The activities of MCP tools: record a server's tool list for a run, and call one tool. Each call
 * is its own activity on the server's task queue ({@code <queue>-mcp-<server>}, whose slots are the
 * server's concurrency limit), with the server's timeout and retry policy, heartbeating while it
 * waits.
 */
@ActivityInterface
public interface McpToolActivities {

  /** Activity type names, stable across releases (recorded histories depend on them). */
  String SNAPSHOT_TOOLS = "SnapshotMcpTools";
  String CALL_TOOL = "CallMcpTool";

  /** Error types. */
  String UNKNOWN_SERVER = "UnknownMcpServer";
  String TOOLS_CHANGED = "McpToolsChanged";
  String TOOL_ERROR = "McpToolError";
  String REQUEST_REJECTED = "McpRequestRejected";
  String TIMEOUT = "McpTimeout";

  /**
   * Lists {@code server}'s tools, stores the list in the blob store and returns its sha256, its
   * reference and the tools' names: what a run records the first time a node needs the server.
   */
  @ActivityMethod(name = SNAPSHOT_TOOLS)
  McpToolSnapshot snapshotTools(McpSnapshotRequest request);

  /**
   * Calls one tool on the worker's session with the server. A result comes back like a built-in
   * tool's (inline, or by reference when large; images and other binary content always by
   * reference); an {@code isError} result fails with the non-retryable {@value #TOOL_ERROR} carrying
   * the server's message; a broken session or a timeout is retryable.
   */
  @ActivityMethod(name = CALL_TOOL)
  ToolCallResult callTool(McpCallRequest request);
}
