package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.SubgraphRef;
import java.util.List;

/**
 * Turns a child graph as written ({@code {start, nodes}} or {@code {path}}) into a complete,
 * validated, pinned child definition. Binders call it for every graph a node holds; problems of
 * the child are collected by the resolver, never thrown at the binder.
 */
public interface SubgraphResolver {

  /**
   * @param pointer where the graph is written in the parent (e.g. {@code /nodes/fan/branches/a})
   * @param graph the graph as written
   * @param nameParts what names an inline child after its parent: the node id, then the branch
   * @return the child; its definition is null when the child could not be resolved
   */
  SubgraphRef resolve(String pointer, JsonNode graph, List<String> nameParts);
}
