package dev.agentflow.engine.mcp;

/** Input of the snapshot activity: the node that first needs {@code server}'s tools. */
public record McpSnapshotRequest(String nodeId, String server) {}
