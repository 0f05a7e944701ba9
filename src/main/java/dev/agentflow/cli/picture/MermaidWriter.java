package dev.agentflow.cli.picture;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link Picture} as a Mermaid flowchart, for pasting into Markdown (GitHub and most wikis draw
 * it). Clusters are Mermaid subgraphs; conditional routes and exits are dotted; edges a run took
 * are thick and red, with how often.
 */
public final class MermaidWriter {

  private final StringBuilder out = new StringBuilder();
  private final Map<String, String> ids = new HashMap<>();
  private int edgeCount;
  private final StringBuilder styles = new StringBuilder();

  private MermaidWriter() {}

  public static String write(Picture picture) {
    return new MermaidWriter().render(picture);
  }

  private String render(Picture picture) {
    List<Picture.Element> all = Labels.all(picture.root());
    for (int i = 0; i < all.size(); i++) {
      ids.put(all.get(i).id(), "n" + i);
    }
    out.append("---\ntitle: ").append(picture.title()).append("\n---\n");
    out.append("flowchart TD\n");
    level(picture.root(), "  ");
    out.append(styles);
    out.append("  classDef llm fill:#e8f0fe,stroke:#3367d6\n");
    out.append("  classDef tool fill:#e6f4ea,stroke:#188038\n");
    out.append("  classDef finish fill:#f1f3f4,stroke:#5f6368\n");
    out.append("  classDef wait fill:#fef7e0,stroke:#e37400\n");
    out.append("  classDef start fill:#202124,stroke:#202124,color:#fff\n");
    for (Picture.Element element : all) {
      String cls = switchClass(element.kind());
      if (cls != null) {
        out.append("  class ").append(ids.get(element.id())).append(' ').append(cls).append('\n');
      }
    }
    return out.toString();
  }

  private static String switchClass(Picture.Kind kind) {
    if (kind == Picture.Kind.LLM) {
      return "llm";
    }
    if (kind == Picture.Kind.TOOL) {
      return "tool";
    }
    if (kind == Picture.Kind.END) {
      return "finish";
    }
    if (kind == Picture.Kind.WAIT) {
      return "wait";
    }
    return kind == Picture.Kind.START ? "start" : null;
  }

  private void level(Picture.Level level, String indent) {
    for (Picture.Element element : level.elements()) {
      String id = ids.get(element.id());
      String label = label(element);
      if (element instanceof Picture.Cluster cluster) {
        out.append(indent).append("subgraph ").append(id).append("[\"").append(label).append("\"]\n");
        out.append(indent).append("  direction TB\n");
        level(cluster.inside(), indent + "  ");
        out.append(indent).append("end\n");
      } else {
        out.append(indent).append(id).append(shape(element.kind(), label)).append('\n');
      }
    }
    for (Picture.Edge edge : level.edges()) {
      out.append(indent).append(ids.get(edge.from()));
      String arrow = edge.style() == Picture.Style.ALWAYS ? " -->" : " -.->";
      String text = edge.label();
      if (edge.taken() > 0) {
        text = text.isEmpty() ? "×" + edge.taken() : text + " ×" + edge.taken();
        styles.append(String.format(Locale.ROOT, "  linkStyle %d stroke:#d93025,stroke-width:3px%n", edgeCount));
      }
      out.append(arrow);
      if (!text.isEmpty()) {
        out.append("|\"").append(escape(text)).append("\"|");
      }
      out.append(' ').append(ids.get(edge.to())).append('\n');
      edgeCount++;
    }
  }

  private static String shape(Picture.Kind kind, String label) {
    String quoted = "\"" + label + "\"";
    if (kind == Picture.Kind.START) {
      return "((" + quoted + "))";
    }
    if (kind == Picture.Kind.TOOL) {
      return "[[" + quoted + "]]";
    }
    if (kind == Picture.Kind.END) {
      return "([" + quoted + "])";
    }
    if (kind == Picture.Kind.WAIT) {
      return "{{" + quoted + "}}";
    }
    return "[" + quoted + "]";
  }

  private static String label(Picture.Element element) {
    List<String> lines = Labels.of(element);
    StringBuilder label = new StringBuilder("<b>" + escape(lines.get(0)) + "</b>");
    for (int i = 1; i < lines.size(); i++) {
      label.append("<br/>").append(escape(lines.get(i)));
    }
    return label.toString();
  }

  /** Mermaid's entity codes for what would end a label or be read as markup. */
  static String escape(String text) {
    return text.replace("&", "#amp;").replace("\"", "#quot;").replace("<", "#lt;").replace(">", "#gt;")
        .replace("|", "#124;").replace("`", "#96;");
  }
}
