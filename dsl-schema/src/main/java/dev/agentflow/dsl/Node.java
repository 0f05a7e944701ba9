package dev.agentflow.dsl;

/**
 * One step of a graph. Sealed so that every node kind is known at compile time: the engine keeps
 * one executor per permitted subtype and a test checks that none is missing.
 */
public sealed interface Node
    permits LlmNode, ToolNode, EndNode, ParallelNode, MapNode, ReviewNode, WaitNode, SubgraphNode {

  String id();

  /** The {@code kind:} this node is written with. */
  String kind();

  /** Where the run goes after this node and which variables it sets; empty for {@link EndNode}. */
  Transitions transitions();
}
