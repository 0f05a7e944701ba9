package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A graph run as a child workflow: a fan-out branch, a map body or a {@code subgraph} node. The
 * child's complete definition is resolved when the parent is loaded and carried inside the parent
 * (pinned), so a child never re-reads a file while a run is in flight.
 *
 * @param path the file it came from, relative to the parent file as written, or null for an inline
 *     graph
 * @param definition the child's complete definition as JSON (apiVersion, name, version, models,
 *     tools, start, nodes …); for an inline graph it is built from the parent's models and tools
 */
public record SubgraphRef(String path, JsonNode definition) {}
