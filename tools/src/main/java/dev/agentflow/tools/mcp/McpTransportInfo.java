package dev.agentflow.tools.mcp;

/**
 * What an MCP transport tells the connection that owns it beyond the SDK's {@code
 * McpClientTransport}: what it talks to (for messages), why it failed (a process's exit code and
 * the tail of its stderr, an HTTP status), and when it died, so calls in flight on a dead session
 * fail at once instead of waiting for their timeout.
 */
public interface McpTransportInfo {

  /** What the transport talks to: the command line of a stdio server, the URL of an HTTP server. */
  String describe();

  /** Why it failed or what it last said: exit code, stderr tail, last HTTP error; empty when nothing. */
  String diagnostics();

  /** Runs {@code listener} once when the transport can no longer carry messages. */
  void onClosed(Runnable listener);
}
