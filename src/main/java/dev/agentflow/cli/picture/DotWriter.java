package dev.agentflow.cli.picture;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link Picture} in Graphviz DOT, for people who have Graphviz or a tool that reads DOT.
 * Clusters are {@code cluster_} subgraphs; an edge to or from a cluster is drawn to its border
 * ({@code compound=true}, {@code lhead}/{@code ltail} on a node inside it).
 */
public final class DotWriter {

  private final StringBuilder out = new StringBuilder();
  private final Map<String, String> ids = new HashMap<>();
  private final Map<String, Picture.Element> elements = new HashMap<>();

  private DotWriter() {}

  public static String write(Picture picture) {
    return new DotWriter().render(picture);
  }

  private String render(Picture picture) {
    List<Picture.Element> all = Labels.all(picture.root());
    for (int i = 0; i < all.size(); i++) {
      ids.put(all.get(i).id(), "n" + i);
      elements.put(all.get(i).id(), all.get(i));
    }
    out.append("digraph \"").append(quote(picture.title())).append("\" {\n");
    out.append("  compound=true;\n  rankdir=TB;\n  fontname=\"Helvetica\";\n");
    out.append("  label=\"").append(quote(picture.title())).append("\";\n  labelloc=t;\n");
    out.append("  node [shape=box, style=\"rounded,filled\", fillcolor=\"#ffffff\", fontname=\"Helvetica\", fontsize=11];\n");
    out.append("  edge [fontname=\"Helvetica\", fontsize=10];\n");
    level(picture.root(), "  ");
    out.append("}\n");
    return out.toString();
  }

  private void level(Picture.Level level, String indent) {
    for (Picture.Element element : level.elements()) {
      String id = ids.get(element.id());
      if (element instanceof Picture.Cluster cluster) {
        out.append(indent).append("subgraph cluster_").append(id).append(" {\n");
        out.append(indent).append("  label=\"").append(label(element)).append("\";\n");
        out.append(indent).append("  style=").append(cluster.kind() == Picture.Kind.SUBGRAPH ? "solid" : "dashed")
            .append(";\n");
        level(cluster.inside(), indent + "  ");
        out.append(indent).append("}\n");
      } else {
        out.append(indent).append(id).append(" [label=\"").append(label(element)).append('"')
            .append(attributes(element.kind())).append("];\n");
      }
    }
    for (Picture.Edge edge : level.edges()) {
      Picture.Element from = elements.get(edge.from());
      Picture.Element to = elements.get(edge.to());
      out.append(indent).append(ids.get(anchor(from).id())).append(" -> ").append(ids.get(anchor(to).id())).append(" [");
      String text = edge.taken() > 0 ? (edge.label() + " ×" + edge.taken()).trim() : edge.label();
      out.append("label=\"").append(quote(text)).append('"');
      if (edge.style() != Picture.Style.ALWAYS) {
        out.append(", style=dashed");
      }
      if (edge.taken() > 0) {
        out.append(", color=\"#d93025\", penwidth=3");
      }
      if (from instanceof Picture.Cluster) {
        out.append(", ltail=cluster_").append(ids.get(from.id()));
      }
      if (to instanceof Picture.Cluster) {
        out.append(", lhead=cluster_").append(ids.get(to.id()));
      }
      out.append("];\n");
    }
  }

  /** The node an edge to an element attaches to: the element, or the first box inside a cluster. */
  private static Picture.Element anchor(Picture.Element element) {
    Picture.Element anchor = element;
    while (anchor instanceof Picture.Cluster cluster && !cluster.inside().elements().isEmpty()) {
      anchor = cluster.inside().elements().get(0);
    }
    return anchor;
  }

  private static String attributes(Picture.Kind kind) {
    if (kind == Picture.Kind.START) {
      return ", shape=circle, fillcolor=\"#202124\", fontcolor=\"#ffffff\"";
    }
    if (kind == Picture.Kind.LLM) {
      return ", fillcolor=\"#e8f0fe\", color=\"#3367d6\"";
    }
    if (kind == Picture.Kind.TOOL) {
      return ", shape=box3d, style=filled, fillcolor=\"#e6f4ea\", color=\"#188038\"";
    }
    if (kind == Picture.Kind.WAIT) {
      return ", shape=hexagon, style=filled, fillcolor=\"#fef7e0\", color=\"#e37400\"";
    }
    if (kind == Picture.Kind.END) {
      return ", shape=oval, style=filled, fillcolor=\"#f1f3f4\", color=\"#5f6368\"";
    }
    return "";
  }

  private static String label(Picture.Element element) {
    return quote(String.join("\n", Labels.of(element)));
  }

  private static String quote(String text) {
    return text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
  }
}
