package dev.agentflow.cli.picture;

import java.util.Map;

/**
 * What one run did, keyed the way a {@link Picture} names things: node ids from the top joined
 * with {@code /}, and edges as {@code from → to}.
 *
 * @param visits what happened in each node
 * @param taken how often the run went along each edge ({@link #edgeKey})
 */
public record RunFacts(Map<String, Picture.Visit> visits, Map<String, Integer> taken) {

  /** No run: a definition only. */
  public static final RunFacts NONE = new RunFacts(Map.of(), Map.of());

  public static String edgeKey(String from, String to) {
    return from + " → " + to;
  }

  Picture.Visit visit(String id) {
    return visits.get(id);
  }

  int taken(String from, String to) {
    return taken.getOrDefault(edgeKey(from, to), 0);
  }
}
