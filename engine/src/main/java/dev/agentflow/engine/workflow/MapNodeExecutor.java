package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.IntNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.MapNode;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.List;

/**
 * Map-over-items: one child AgentGraph run per element of the {@code items} array, bounded by
 * {@code maxConcurrency}. The output is an array in item order: each child's output, or a
 * {@code {"$status": …}} object for a branch that failed, was cancelled or never started.
 */
final class MapNodeExecutor implements NodeExecutor<MapNode> {

  @Override
  public NodeOutcome execute(MapNode node, RunContext context) {
    JsonNode items = context.evaluate(node.id(), "items", node.items(), null);
    if (!items.isArray()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "map node '" + node.id() + "': items `" + node.items() + "` must give an array, got "
              + items.getNodeType().toString().toLowerCase(),
          FailureTypes.ITEMS_NOT_ARRAY);
    }
    List<FanOutRunner.Branch> branches = new ArrayList<>();
    for (int index = 0; index < items.size(); index++) {
      JsonNode item = items.get(index);
      JsonNode input = node.input() == null
          ? defaultInput(item, index)
          : context.withItem(item, IntNode.valueOf(index)).evaluate(node.id(), "input", node.input(), null);
      branches.add(new FanOutRunner.Branch(String.valueOf(index), node.graph(), input));
    }
    int visit = context.state().visits(node.id());
    FanOutRunner.Outcome outcome = FanOutRunner.run(node.id(), visit, branches, node.fanOut(), node.budget(), context);
    ArrayNode output = RunContext.JSON.createArrayNode();
    outcome.results().forEach(output::add);
    context.state().noteOutcome(FanOutResults.summary(outcome));
    return FanOutResults.outcome(node.id(), "map", node.fanOut(), outcome, output, context.versions());
  }

  private static JsonNode defaultInput(JsonNode item, int index) {
    ObjectNode input = RunContext.JSON.createObjectNode();
    input.set("item", item);
    input.put("index", index);
    return input;
  }
}
