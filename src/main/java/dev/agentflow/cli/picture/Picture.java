package dev.agentflow.cli.picture;

import java.util.List;

/**
 * A graph definition (optionally with what one run did) as something to draw: boxes for nodes,
 * clusters for fan-outs, subgraphs and review loops, and labelled edges for routes. One model for
 * every output format, so Mermaid, DOT and SVG show the same thing.
 *
 * @param title the graph's name and version
 * @param root the top level of the drawing
 */
public record Picture(String title, Level root) {

  /** What a node is, for its shape and colour. */
  public enum Kind { LLM, TOOL, END, WAIT, MAP, PARALLEL, SUBGRAPH, REVIEW, BRANCH, START }

  /** How an edge is drawn: always taken, taken on a condition, or an error/timeout/bound exit. */
  public enum Style { ALWAYS, CONDITION, EXIT, LOOP }

  /** One level of the drawing: its elements and the edges between them. */
  public record Level(List<Element> elements, List<Edge> edges) {}

  /** A node (a box) or a cluster (a titled box holding a level of its own). */
  public sealed interface Element permits Box, Cluster {
    /** Unique in the whole picture: the node ids from the top, joined with {@code /}. */
    String id();

    Kind kind();

    List<String> lines();

    /** What a run did here, or null when the picture shows a definition only. */
    Visit visit();
  }

  /** A node drawn as a box; {@code lines} are its title and its settings. */
  public record Box(String id, Kind kind, List<String> lines, Visit visit) implements Element {}

  /** A node drawn as a titled box around the graph it runs (a fan-out, subgraph or review). */
  public record Cluster(String id, Kind kind, List<String> lines, Level inside, Visit visit) implements Element {}

  /**
   * A way from one element to another.
   *
   * @param label the route's condition, or what the exit means ({@code onError}, {@code timeout})
   * @param taken how often the run went this way (0 when not, or for a definition)
   */
  public record Edge(String from, String to, String label, Style style, int taken) {}

  /**
   * What a run did in one node.
   *
   * @param visits how often the node ran
   * @param inputTokens input tokens over all its visits
   * @param outputTokens output tokens over all its visits
   * @param costUsd cost over all its visits, or 0 when unknown
   * @param notes the tool calls of its loop, child runs and outcomes, one per line
   */
  public record Visit(int visits, long inputTokens, long outputTokens, double costUsd, List<String> notes) {}
}
