package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.FanOut;
import dev.agentflow.dsl.Join;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.Transitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Reads the fields that several node kinds share (transitions, budgets, fan-out settings) and
 * plain values with their defaults. Only given schema-valid trees, so it trusts types.
 */
final class Fields {

  private Fields() {}

  static Transitions transitions(JsonNode node) {
    List<Route> routes = new ArrayList<>();
    node.path("routes").forEach(route -> routes.add(new Route(text(route, "when"), text(route, "to"))));
    Map<String, String> set = orderedMap(node.path("set"), (name, expression) -> expression.asText());
    return new Transitions(text(node, "next"), List.copyOf(routes), set);
  }

  /** The {@code budget} of {@code object}, or null; {@code onExceed} defaults to fail. */
  static Budget budget(JsonNode object) {
    JsonNode budget = object.get("budget");
    if (budget == null || !budget.isObject()) {
      return null;
    }
    return new Budget(
        budget.hasNonNull("maxTokens") ? budget.get("maxTokens").asLong() : null,
        budget.hasNonNull("maxCostUsd") ? budget.get("maxCostUsd").asDouble() : null,
        onExceed(budget.get("onExceed")));
  }

  private static Budget.OnExceed onExceed(JsonNode onExceed) {
    if (onExceed == null || onExceed.isTextual()) {
      return Budget.OnExceed.FAIL;
    }
    if (onExceed.has("route")) {
      return new Budget.OnExceed("route", onExceed.get("route").asText());
    }
    return new Budget.OnExceed("ask", onExceed.get("ask").asText());
  }

  /** Fan-out settings with their defaults: 10 at once, join all, fail on a branch error. */
  static FanOut fanOut(JsonNode node) {
    return new FanOut(
        node.hasNonNull("maxConcurrency")
            ? node.get("maxConcurrency").asInt()
            : FanOut.DEFAULT_MAX_CONCURRENCY,
        join(node.get("join")),
        duration(node, "timeout", null),
        text(node, "onTimeout"),
        node.hasNonNull("onBranchError") ? node.get("onBranchError").asText() : "fail");
  }

  private static Join join(JsonNode join) {
    if (join == null || join.isNull()) {
      return Join.all();
    }
    if (join.isObject()) {
      return Join.atLeast(join.get("atLeast").asInt());
    }
    return "any".equals(join.asText()) ? Join.any() : Join.all();
  }

  static JsonNode copy(JsonNode object, String field) {
    return object.hasNonNull(field) ? object.get(field).deepCopy() : null;
  }

  static Duration duration(JsonNode object, String field, Duration fallback) {
    return object.hasNonNull(field) ? Durations.parse(object.get(field).asText()) : fallback;
  }

  static String text(JsonNode object, String field) {
    return object.hasNonNull(field) ? object.get(field).asText() : null;
  }

  static int integer(JsonNode object, String field, int fallback) {
    return object.hasNonNull(field) ? object.get(field).asInt() : fallback;
  }

  static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }

  /** An unmodifiable map in the object's key order (the file order). */
  static <T> Map<String, T> orderedMap(JsonNode object, BiFunction<String, JsonNode, T> bind) {
    Map<String, T> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      map.put(entry.getKey(), bind.apply(entry.getKey(), entry.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }
}
