package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;

/**
 * Binds the nodes of one kind: the one place that knows how that kind is written. Registered in
 * {@link NodeBinders} under its {@code kind:} string.
 */
interface NodeBinder {

  /** The record this binder produces (a test checks every permitted {@link Node} has a binder). */
  Class<? extends Node> type();

  /**
   * @param id the node id
   * @param node the node as written, already schema-valid
   * @param subgraphs resolves the child graphs the node holds
   */
  Node bind(String id, JsonNode node, SubgraphResolver subgraphs);
}
