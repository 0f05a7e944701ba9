package dev.agentflow.dsl;

import java.util.List;

/**
 * One step of a graph. Sealed so that every node kind is known at compile time: the engine keeps
 * one executor per permitted subtype and a test checks that none is missing.
 *
 * <p>Each kind describes itself to validation through {@link #targets()}, {@link #expressions()},
 * {@link #references()}, {@link #schemas()} and {@link #budget()}, so that what a kind carries is
 * written once, in its record, and the checks never switch over kinds. Pointers in these parts are
 * relative to the node ({@code /nodes/<id>}).
 */
public sealed interface Node
    permits LlmNode, ToolNode, EndNode, ParallelNode, MapNode, ReviewNode, WaitNode, SubgraphNode {

  String id();

  /** The {@code kind:} this node is written with. */
  String kind();

  /** Where the run goes after this node and which variables it sets; empty for {@link EndNode}. */
  Transitions transitions();

  /** Every node this one may lead to, in the order the definition writes them. */
  default List<Target> targets() {
    return transitions().targets();
  }

  /** Every expression and template this node carries. */
  default List<ExpressionSite> expressions() {
    return transitions().expressions();
  }

  /** Every model and tool name this node uses. */
  default List<NameRef> references() {
    return List.of();
  }

  /** Every JSON Schema written inside this node. */
  default List<SchemaSite> schemas() {
    return List.of();
  }

  /** This node's own budget, or null. */
  default Budget budget() {
    return null;
  }
}
