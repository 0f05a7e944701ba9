package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.Transitions;
import io.temporal.failure.ApplicationFailure;
import java.util.Map;

/** Applies a node's {@code set:} and chooses where the run goes next: {@code next:} or the first matching route. */
final class Router {

  private Router() {}

  static String route(Node node, JsonNode output, RunContext context) {
    Transitions transitions = node.transitions();
    for (Map.Entry<String, String> assignment : transitions.set().entrySet()) {
      JsonNode value =
          context.evaluate(node.id(), "set." + assignment.getKey(), assignment.getValue(), output);
      context.state().setVar(assignment.getKey(), value);
    }
    if (transitions.next() != null) {
      return transitions.next();
    }
    for (Route route : transitions.routes()) {
      if (route.when() == null || context.test(node.id(), "route condition", route.when(), output)) {
        return route.to();
      }
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "node '" + node.id() + "': no route matched and there is no default route",
        FailureTypes.NO_ROUTE);
  }
}
