package dev.agentflow.dsl;

import java.util.List;
import java.util.Map;

/**
 * What happens after a node succeeds: variables assigned by {@code set:} (in file order, each a JS
 * expression), then either {@code next:} or the first matching {@code routes:} entry.
 *
 * @param next the following node id, or null
 * @param routes ordered routes; a route without {@code when} is the default; empty when absent
 * @param set variable name to JS expression, in file order; empty when absent
 */
public record Transitions(String next, List<Route> routes, Map<String, String> set) {

  public static final Transitions NONE = new Transitions(null, List.of(), Map.of());
}
