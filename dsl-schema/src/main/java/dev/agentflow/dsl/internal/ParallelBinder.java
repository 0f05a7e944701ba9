package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ParallelNode;
import java.util.List;

/** {@code kind: parallel}: each branch is a child graph named {@code <graph>--<node>--<branch>}. */
final class ParallelBinder implements NodeBinder {

  @Override
  public Class<? extends Node> type() {
    return ParallelNode.class;
  }

  @Override
  public Node bind(String id, JsonNode node, SubgraphResolver subgraphs) {
    String branchesPointer = JsonPointers.child(JsonPointers.node(id), "branches");
    return new ParallelNode(
        id,
        Fields.orderedMap(node.path("branches"), (branch, graph) -> subgraphs.resolve(
            JsonPointers.child(branchesPointer, branch), graph, List.of(id, branch))),
        Fields.text(node, "input"),
        Fields.fanOut(node),
        Fields.budget(node),
        Fields.transitions(node));
  }
}
