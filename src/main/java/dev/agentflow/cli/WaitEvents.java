package dev.agentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.WaitNode;
import dev.agentflow.dsl.internal.Suggestions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The events a run of a graph can be sent (its wait nodes' events and its budgets' questions), with
 * the payload schemas of the waits, so {@code agentflow run --send} is checked before the run starts:
 * a misspelt event would otherwise never be consumed, and a payload the wait rejects would leave the
 * run waiting until its timeout.
 */
final class WaitEvents {

  /** Event name to the payload schemas of the wait nodes that wait for it (null: any payload). */
  private final Map<String, List<JsonNode>> schemas = new LinkedHashMap<>();

  private WaitEvents() {}

  static WaitEvents of(GraphDefinition graph) {
    WaitEvents events = new WaitEvents();
    events.addAsk(graph.budget());
    for (Node node : graph.nodes().values()) {
      if (node instanceof WaitNode wait) {
        events.schemas.computeIfAbsent(wait.event(), name -> new ArrayList<>()).add(wait.payloadSchema());
      } else if (node instanceof LlmNode llm) {
        events.addAsk(llm.budget());
      }
    }
    return events;
  }

  private void addAsk(Budget budget) {
    if (budget != null && budget.onExceed() != null && "ask".equals(budget.onExceed().action())
        && budget.onExceed().target() != null) {
      schemas.computeIfAbsent(budget.onExceed().target(), name -> new ArrayList<>()).add(null);
    }
  }

  /** @throws CliException (usage) when the graph waits for no event of that name */
  void checkName(String event) {
    if (schemas.containsKey(event)) {
      return;
    }
    throw CliException.usage("--send " + event + ": the graph waits for no event '" + event + "'"
        + Suggestions.hint(event, schemas.keySet())
        + (schemas.isEmpty() ? " (it has no wait node)" : " (it waits for: " + String.join(", ", schemas.keySet()) + ")"));
  }

  /**
   * The problems of {@code payload} for {@code event}: empty when some wait for that event accepts
   * it, else those of the first such wait.
   */
  List<Problem> check(String event, JsonNode payload) {
    List<Problem> first = null;
    for (JsonNode schema : schemas.getOrDefault(event, List.of())) {
      List<Problem> problems = InputValidator.forSchema(schema).validate(payload);
      if (problems.isEmpty()) {
        return List.of();
      }
      first = first == null ? problems : first;
    }
    return first == null ? List.of() : first;
  }
}
