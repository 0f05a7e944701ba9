package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.ParallelNode;
import dev.agentflow.dsl.SubgraphRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Named branches at the same time, each a child AgentGraph run. The output is an object keyed by
 * branch name: each child's output, or a {@code {"$status": …}} object.
 */
final class ParallelNodeExecutor implements NodeExecutor<ParallelNode> {

  @Override
  public NodeOutcome execute(ParallelNode node, RunContext context) {
    List<FanOutRunner.Branch> branches = new ArrayList<>();
    int index = 0;
    for (Map.Entry<String, SubgraphRef> branch : node.branches().entrySet()) {
      JsonNode input = node.input() == null
          ? context.state().input()
          : context.withItem(TextNode.valueOf(branch.getKey()), IntNode.valueOf(index))
              .evaluate(node.id(), "input", node.input(), null);
      branches.add(new FanOutRunner.Branch(branch.getKey(), branch.getValue(), input));
      index++;
    }
    int visit = context.state().visits(node.id());
    FanOutRunner.Outcome outcome = FanOutRunner.run(node.id(), visit, branches, node.fanOut(), node.budget(), context);
    ObjectNode output = RunContext.JSON.createObjectNode();
    for (int i = 0; i < branches.size(); i++) {
      output.set(branches.get(i).key(), outcome.results().get(i));
    }
    context.state().noteOutcome(FanOutResults.summary(outcome));
    return FanOutResults.outcome(node.id(), "parallel", node.fanOut(), outcome, output, context.versions());
  }
}
