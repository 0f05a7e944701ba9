package dev.agentflow.cli.picture;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.FanOut;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.MapNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ParallelNode;
import dev.agentflow.dsl.ReviewNode;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.SubgraphNode;
import dev.agentflow.dsl.SubgraphRef;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.WaitNode;
import dev.agentflow.cli.picture.Picture.Box;
import dev.agentflow.cli.picture.Picture.Cluster;
import dev.agentflow.cli.picture.Picture.Edge;
import dev.agentflow.cli.picture.Picture.Element;
import dev.agentflow.cli.picture.Picture.Kind;
import dev.agentflow.cli.picture.Picture.Level;
import dev.agentflow.cli.picture.Picture.Style;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Builds the {@link Picture} of a graph: one box per node with its kind and settings, one edge per
 * {@code next}, route and exit ({@code onError}, {@code onTimeout}, bounds, budget routes) labelled
 * with its condition, and a cluster around the graph each fan-out, subgraph and review runs. Child
 * graphs come from the definition itself (they are pinned into it when it is loaded).
 */
public final class PictureBuilder {

  /** The id of the marker that points at a graph's start node. */
  public static final String START = "(start)";

  private static final int LABEL_LIMIT = 48;
  private static final DefinitionLoader CHILD_LOADER = DefinitionLoader.withoutToolCheck();

  private final RunFacts facts;

  private PictureBuilder(RunFacts facts) {
    this.facts = facts;
  }

  /** The definition alone. */
  public static Picture of(GraphDefinition graph) {
    return of(graph, RunFacts.NONE);
  }

  /** The definition with what a run did: visits, tokens, tool calls, the edges it took. */
  public static Picture of(GraphDefinition graph, RunFacts facts) {
    PictureBuilder builder = new PictureBuilder(facts);
    return new Picture(graph.name() + " v" + graph.version(), builder.level(graph, "", true));
  }

  private Level level(GraphDefinition graph, String prefix, boolean withStart) {
    List<Element> elements = new ArrayList<>();
    List<Edge> edges = new ArrayList<>();
    if (withStart) {
      String start = prefix + START;
      elements.add(new Box(start, Kind.START, List.of("start"), null));
      edges.add(edge(start, prefix + graph.start(), "", Style.ALWAYS));
    }
    for (Node node : graph.nodes().values()) {
      String id = prefix + node.id();
      elements.add(element(node, id));
      edges.addAll(edgesOf(node, prefix));
    }
    return new Level(List.copyOf(elements), List.copyOf(edges));
  }

  private Element element(Node node, String id) {
    Picture.Visit visit = facts.visit(id);
    if (node instanceof LlmNode llm) {
      return new Box(id, Kind.LLM, llmLines(llm), visit);
    }
    if (node instanceof ToolNode tool) {
      return new Box(id, Kind.TOOL, List.of(node.id(), "tool · " + tool.tool()), visit);
    }
    if (node instanceof WaitNode wait) {
      return new Box(id, Kind.WAIT, waitLines(wait), visit);
    }
    if (node instanceof MapNode map) {
      return new Cluster(id, Kind.MAP, mapLines(map), childLevel(map.graph(), id + "/"), visit);
    }
    if (node instanceof ParallelNode parallel) {
      return new Cluster(id, Kind.PARALLEL, parallelLines(parallel), branches(parallel, id), visit);
    }
    if (node instanceof SubgraphNode subgraph) {
      return new Cluster(id, Kind.SUBGRAPH, subgraphLines(subgraph), childLevel(subgraph.graph(), id + "/"), visit);
    }
    if (node instanceof ReviewNode review) {
      return new Cluster(id, Kind.REVIEW, reviewLines(review), reviewLevel(review, id), visit);
    }
    return new Box(id, Kind.END, List.of(node.id(), "end"), visit);
  }

  private List<Edge> edgesOf(Node node, String prefix) {
    String from = prefix + node.id();
    List<Edge> edges = new ArrayList<>();
    if (node.transitions().next() != null) {
      edges.add(edge(from, prefix + node.transitions().next(), "", Style.ALWAYS));
    }
    List<Route> routes = node.transitions().routes();
    for (Route route : routes) {
      boolean onlyRoute = routes.size() == 1;
      String label = route.when() != null ? shorten(route.when()) : onlyRoute ? "" : "otherwise";
      edges.add(edge(from, prefix + route.to(), label, route.when() != null ? Style.CONDITION : Style.ALWAYS));
    }
    if (node instanceof LlmNode llm) {
      exit(edges, from, prefix, llm.onMaxIterations(), "max iterations");
      exit(edges, from, prefix, llm.onError(), "error");
    } else if (node instanceof ToolNode tool) {
      exit(edges, from, prefix, tool.onError(), "error");
    } else if (node instanceof WaitNode wait) {
      exit(edges, from, prefix, wait.onTimeout(), "timeout");
    } else if (node instanceof MapNode map) {
      exit(edges, from, prefix, map.fanOut().onTimeout(), "timeout");
    } else if (node instanceof ParallelNode parallel) {
      exit(edges, from, prefix, parallel.fanOut().onTimeout(), "timeout");
    } else if (node instanceof ReviewNode review) {
      exit(edges, from, prefix, review.onMaxRounds(), "max rounds");
    }
    Budget budget = node.budget();
    if (budget != null && budget.onExceed() != null && "route".equals(budget.onExceed().action())) {
      exit(edges, from, prefix, budget.onExceed().target(), "budget exceeded");
    }
    return edges;
  }

  private void exit(List<Edge> edges, String from, String prefix, String to, String label) {
    if (to != null) {
      edges.add(edge(from, prefix + to, label, Style.EXIT));
    }
  }

  private Edge edge(String from, String to, String label, Style style) {
    return new Edge(from, to, label, style, facts.taken(from, to));
  }

  private Level childLevel(SubgraphRef ref, String prefix) {
    return level(bind(ref, prefix), prefix, false);
  }

  private Level branches(ParallelNode parallel, String id) {
    List<Element> branches = new ArrayList<>();
    for (Map.Entry<String, SubgraphRef> branch : parallel.branches().entrySet()) {
      String branchId = id + "/" + branch.getKey();
      GraphDefinition graph = bind(branch.getValue(), branchId);
      branches.add(new Cluster(branchId, Kind.BRANCH, List.of(branch.getKey(), "branch"),
          level(graph, branchId + "/", false), facts.visit(branchId)));
    }
    return new Level(List.copyOf(branches), List.of());
  }

  private Level reviewLevel(ReviewNode review, String id) {
    String author = id + "/author";
    String reviewer = id + "/reviewer";
    List<Element> elements = List.of(
        new Box(author, Kind.LLM, llmLines(review.author(), "author"), facts.visit(author)),
        new Box(reviewer, Kind.LLM, llmLines(review.reviewer(), "reviewer"), facts.visit(reviewer)));
    List<Edge> edges = List.of(
        edge(author, reviewer, "draft", Style.ALWAYS),
        edge(reviewer, author, "not " + shorten(review.approved()) + " (≤ " + review.maxRounds() + " drafts)", Style.LOOP));
    return new Level(elements, edges);
  }

  private static GraphDefinition bind(SubgraphRef ref, String where) {
    JsonNode definition = ref.definition();
    try {
      return CHILD_LOADER.load(definition, ref.path() != null ? ref.path() : where).graph();
    } catch (DefinitionException e) {
      throw new IllegalArgumentException("the child graph of " + where + " cannot be read: " + e.getMessage(), e);
    }
  }

  private static List<String> llmLines(LlmNode node) {
    return llmLines(node, node.id());
  }

  private static List<String> llmLines(LlmNode node, String title) {
    List<String> lines = new ArrayList<>();
    lines.add(title);
    lines.add("llm · " + node.model());
    if (!node.tools().isEmpty()) {
      lines.add("tools: " + shorten(String.join(", ", node.tools())));
      lines.add("↻ tool loop ≤ " + node.maxIterations() + " model calls");
    }
    if (node.outputSchema() != null) {
      lines.add("structured output");
    }
    addBudget(lines, node.budget());
    return lines;
  }

  private static List<String> waitLines(WaitNode node) {
    List<String> lines = new ArrayList<>(List.of(node.id(), "wait · " + node.event()));
    if (node.timeout() != null) {
      lines.add("timeout " + node.timeout().toString().substring(2).toLowerCase());
    }
    return lines;
  }

  private static List<String> mapLines(MapNode node) {
    List<String> lines = new ArrayList<>(List.of(node.id(), "map · one child run per " + shorten(node.items())));
    lines.add(fanOutLine(node.fanOut()));
    addBudget(lines, node.budget());
    return lines;
  }

  private static List<String> parallelLines(ParallelNode node) {
    List<String> lines = new ArrayList<>(List.of(node.id(), "parallel · " + node.branches().size() + " branches"));
    lines.add(fanOutLine(node.fanOut()));
    addBudget(lines, node.budget());
    return lines;
  }

  private static String fanOutLine(FanOut fanOut) {
    String join = "atLeast".equals(fanOut.join().mode())
        ? "join at least " + fanOut.join().count() : "join " + fanOut.join().mode();
    String line = "≤ " + fanOut.maxConcurrency() + " at once · " + join;
    if (fanOut.timeout() != null) {
      line += " · timeout " + fanOut.timeout().toString().substring(2).toLowerCase();
    }
    return fanOut.collectErrors() ? line + " · collect errors" : line;
  }

  private static List<String> subgraphLines(SubgraphNode node) {
    String name = node.graph().definition().path("name").asText("graph");
    String source = node.graph().path() != null ? node.graph().path() : name;
    List<String> lines = new ArrayList<>(List.of(node.id(), "subgraph · " + source));
    addBudget(lines, node.budget());
    return lines;
  }

  private static List<String> reviewLines(ReviewNode node) {
    return List.of(node.id(), "review · ≤ " + node.maxRounds() + " drafts");
  }

  private static void addBudget(List<String> lines, Budget budget) {
    if (budget == null) {
      return;
    }
    List<String> parts = new ArrayList<>();
    if (budget.maxTokens() != null) {
      parts.add(budget.maxTokens() + " tokens");
    }
    if (budget.maxCostUsd() != null) {
      parts.add("$" + budget.maxCostUsd());
    }
    String action = budget.onExceed() == null ? "fail" : budget.onExceed().action();
    lines.add("budget " + String.join(", ", parts) + " (" + action + ")");
  }

  /** A condition or expression short enough for an edge or a box. */
  static String shorten(String text) {
    String oneLine = text.replaceAll("\\s+", " ").trim();
    return oneLine.length() <= LABEL_LIMIT ? oneLine : oneLine.substring(0, LABEL_LIMIT - 1) + "…";
  }
}
