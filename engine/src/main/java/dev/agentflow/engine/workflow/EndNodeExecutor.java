package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.EndNode;

/** Ends the run with the value of its {@code output} expression, or the previous node's output. */
final class EndNodeExecutor implements NodeExecutor<EndNode> {

  @Override
  public NodeOutcome execute(EndNode node, RunContext context) {
    JsonNode previous = context.state().lastOutput();
    if (node.output() == null) {
      return new NodeOutcome.Finished(previous);
    }
    return new NodeOutcome.Finished(context.evaluate(node.id(), "output", node.output(), previous));
  }
}
