package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A graph run as a child workflow: a fan-out branch, a map body or a {@code subgraph} node. The
 * child's complete definition is resolved when the parent is loaded and carried inside the parent
 * (pinned), so a child never re-reads a file while a run is in flight.
 *
 * <p>A registered graph ({@code {ref: NAME@ALIAS}}) is pinned by the engine when the run starts;
 * before that (a definition being validated or deployed) its definition is null.
 *
 * @param path the file it came from, relative to the parent file as written; {@code
 *     registry:<reference>} for a registered graph; null for an inline graph
 * @param definition the child's complete definition as JSON (apiVersion, name, version, models,
 *     tools, start, nodes …); for an inline graph it is built from the parent's models and tools;
 *     null for a registered graph not pinned yet
 */
public record SubgraphRef(String path, JsonNode definition) {

  /** How {@link #path()} names a registered graph: {@code registry:NAME@ALIAS}. */
  public static final String REGISTRY_PREFIX = "registry:";

  /** A registered graph the engine has not pinned yet. */
  public boolean unpinnedReference() {
    return definition == null && path != null && path.startsWith(REGISTRY_PREFIX);
  }
}
