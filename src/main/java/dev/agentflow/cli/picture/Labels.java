package dev.agentflow.cli.picture;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** The text drawn for an element: its lines, then what the run did there (for a trace). */
final class Labels {

  private Labels() {}

  static List<String> of(Picture.Element element) {
    List<String> lines = new ArrayList<>(element.lines());
    Picture.Visit visit = element.visit();
    if (visit != null) {
      lines.add(summary(visit));
      lines.addAll(visit.notes());
    }
    return lines;
  }

  /** {@code ×2 · 120+30 tokens · $0.0012}. */
  static String summary(Picture.Visit visit) {
    StringBuilder line = new StringBuilder("×" + visit.visits());
    if (visit.inputTokens() + visit.outputTokens() > 0) {
      line.append(" · ").append(visit.inputTokens()).append('+').append(visit.outputTokens()).append(" tokens");
    }
    if (visit.costUsd() > 0) {
      line.append(String.format(Locale.ROOT, " · $%.6f", visit.costUsd()));
    }
    return line.toString();
  }

  /** Every element of a level and of the levels inside it, depth first, in order. */
  static List<Picture.Element> all(Picture.Level level) {
    List<Picture.Element> all = new ArrayList<>();
    for (Picture.Element element : level.elements()) {
      all.add(element);
      if (element instanceof Picture.Cluster cluster) {
        all.addAll(all(cluster.inside()));
      }
    }
    return all;
  }

  /** Every edge of a level and of the levels inside it. */
  static List<Picture.Edge> edges(Picture.Level level) {
    List<Picture.Edge> edges = new ArrayList<>(level.edges());
    for (Picture.Element element : level.elements()) {
      if (element instanceof Picture.Cluster cluster) {
        edges.addAll(edges(cluster.inside()));
      }
    }
    return edges;
  }
}
