package dev.agentflow.cli.picture;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eclipse.elk.alg.layered.options.LayeredMetaDataProvider;
import org.eclipse.elk.alg.layered.options.LayeredOptions;
import org.eclipse.elk.core.RecursiveGraphLayoutEngine;
import org.eclipse.elk.core.data.LayoutMetaDataService;
import org.eclipse.elk.core.math.ElkPadding;
import org.eclipse.elk.core.options.CoreOptions;
import org.eclipse.elk.core.options.Direction;
import org.eclipse.elk.core.options.EdgeLabelPlacement;
import org.eclipse.elk.core.util.BasicProgressMonitor;
import org.eclipse.elk.graph.ElkEdge;
import org.eclipse.elk.graph.ElkEdgeSection;
import org.eclipse.elk.graph.ElkLabel;
import org.eclipse.elk.graph.ElkNode;
import org.eclipse.elk.graph.ElkBendPoint;
import org.eclipse.elk.graph.util.ElkGraphUtil;

/**
 * A {@link Picture} as a standalone SVG, laid out in the process by the Eclipse Layout Kernel's
 * layered algorithm (ranks top to bottom, crossings minimised, orthogonal edges, labels placed on
 * edges, clusters laid out inside their box). No Graphviz or browser is needed; the text sizes are
 * estimated from a fixed-width guess, which is what keeps the output byte-for-byte reproducible.
 */
public final class SvgWriter {

  private static final double CHAR_WIDTH = 7.0;
  private static final double LINE_HEIGHT = 16.0;
  private static final double PADDING = 8.0;

  static {
    LayoutMetaDataService.getInstance().registerLayoutMetaDataProviders(new LayeredMetaDataProvider());
  }

  private final Map<String, ElkNode> nodes = new HashMap<>();
  private final Map<ElkEdge, Picture.Edge> edges = new LinkedHashMap<>();
  private final boolean trace;
  private final StringBuilder shapes = new StringBuilder();
  private final StringBuilder lines = new StringBuilder();

  private SvgWriter(boolean trace) {
    this.trace = trace;
  }

  public static String write(Picture picture) {
    boolean trace = Labels.all(picture.root()).stream().anyMatch(element -> element.visit() != null);
    return new SvgWriter(trace).render(picture);
  }

  private String render(Picture picture) {
    ElkNode root = ElkGraphUtil.createGraph();
    configure(root, 0);
    build(root, picture.root());
    new RecursiveGraphLayoutEngine().layout(root, new BasicProgressMonitor());

    double titleHeight = 28;
    draw(root, picture.root(), 0, titleHeight);
    double width = Math.max(root.getWidth(), picture.title().length() * 8.0 + 20);
    double height = root.getHeight() + titleHeight;
    StringBuilder svg = new StringBuilder();
    svg.append(String.format(Locale.ROOT,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%.0f\" height=\"%.0f\" viewBox=\"0 0 %.0f %.0f\""
            + " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">%n", width, height, width, height));
    svg.append("<title>").append(xml(picture.title())).append("</title>\n");
    svg.append(STYLE);
    svg.append("<rect class=\"background\" x=\"0\" y=\"0\" width=\"100%\" height=\"100%\"/>\n");
    svg.append(String.format(Locale.ROOT, "<text class=\"title\" x=\"10\" y=\"19\">%s</text>%n", xml(picture.title())));
    svg.append(shapes).append(lines).append("</svg>\n");
    return svg.toString();
  }

  private static final String STYLE = """
      <defs>
        <marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#5f6368"/>
        </marker>
        <marker id="arrow-taken" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto-start-reverse">
          <path d="M 0 0 L 10 5 L 0 10 z" fill="#d93025"/>
        </marker>
      </defs>
      <style>
        .background { fill: #ffffff; }
        .title { font-size: 15px; font-weight: bold; fill: #202124; }
        .node rect { stroke-width: 1.2; }
        .node text, .cluster text { fill: #202124; }
        .node text.head, .cluster text.head { font-weight: bold; }
        .llm rect { fill: #e8f0fe; stroke: #3367d6; }
        .tool rect { fill: #e6f4ea; stroke: #188038; }
        .end rect { fill: #f1f3f4; stroke: #5f6368; }
        .wait rect { fill: #fef7e0; stroke: #e37400; }
        .start rect { fill: #202124; stroke: #202124; }
        .start text { fill: #ffffff; }
        .cluster rect { fill: #fafafa; stroke: #9aa0a6; stroke-dasharray: 5 3; }
        .cluster.subgraph rect { stroke-dasharray: none; }
        .cluster.branch rect { fill: #ffffff; }
        .cluster.review rect { fill: #f3e8fd; stroke: #8430ce; }
        .edge path { fill: none; stroke: #5f6368; stroke-width: 1.2; marker-end: url(#arrow); }
        .edge.condition path, .edge.exit path, .edge.loop path { stroke-dasharray: 5 3; }
        .edge.exit path { stroke: #b06000; }
        .edge text { font-size: 11px; fill: #3c4043; }
        .edge.taken path { stroke: #d93025; stroke-width: 3; marker-end: url(#arrow-taken); }
        .edge.taken text { fill: #d93025; font-weight: bold; }
        .unvisited { opacity: 0.45; }
        .visited > rect { stroke-width: 2.5; }
      </style>
      """;

  private static void configure(ElkNode graph, double topPadding) {
    graph.setProperty(CoreOptions.ALGORITHM, LayeredOptions.ALGORITHM_ID);
    graph.setProperty(CoreOptions.DIRECTION, Direction.DOWN);
    graph.setProperty(CoreOptions.PADDING, new ElkPadding(topPadding + 12, 12, 12, 12));
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE, 30.0);
    graph.setProperty(LayeredOptions.SPACING_NODE_NODE_BETWEEN_LAYERS, 40.0);
    graph.setProperty(LayeredOptions.SPACING_EDGE_LABEL, 4.0);
    graph.setProperty(LayeredOptions.EDGE_LABELS_INLINE, false);
  }

  private void build(ElkNode parent, Picture.Level level) {
    for (Picture.Element element : level.elements()) {
      ElkNode node = ElkGraphUtil.createNode(parent);
      nodes.put(element.id(), node);
      List<String> text = Labels.of(element);
      if (element instanceof Picture.Cluster cluster) {
        configure(node, text.size() * LINE_HEIGHT);
        node.setProperty(CoreOptions.NODE_SIZE_MINIMUM, new org.eclipse.elk.core.math.KVector(widthOf(text), 40));
        node.setProperty(CoreOptions.NODE_SIZE_CONSTRAINTS, org.eclipse.elk.core.options.SizeConstraint.minimumSize());
        build(node, cluster.inside());
      } else {
        node.setWidth(widthOf(text));
        node.setHeight(text.size() * LINE_HEIGHT + 2 * PADDING - 4);
      }
    }
    for (Picture.Edge edge : level.edges()) {
      ElkEdge elk = ElkGraphUtil.createEdge(parent);
      elk.getSources().add(nodes.get(edge.from()));
      elk.getTargets().add(nodes.get(edge.to()));
      String text = edgeText(edge);
      if (!text.isEmpty()) {
        ElkLabel label = ElkGraphUtil.createLabel(text, elk);
        label.setWidth(text.length() * 6.2 + 4);
        label.setHeight(14);
        label.setProperty(CoreOptions.EDGE_LABELS_PLACEMENT, EdgeLabelPlacement.CENTER);
      }
      edges.put(elk, edge);
    }
  }

  private static String edgeText(Picture.Edge edge) {
    if (edge.taken() == 0) {
      return edge.label();
    }
    return (edge.label() + " ×" + edge.taken()).trim();
  }

  private static double widthOf(List<String> text) {
    int longest = 0;
    for (String line : text) {
      longest = Math.max(longest, line.length());
    }
    return Math.max(60, longest * CHAR_WIDTH + 2 * PADDING + 4);
  }

  private void draw(ElkNode parent, Picture.Level level, double offsetX, double offsetY) {
    for (Picture.Element element : level.elements()) {
      ElkNode node = nodes.get(element.id());
      double x = offsetX + node.getX();
      double y = offsetY + node.getY();
      List<String> text = Labels.of(element);
      String kind = element.kind().name().toLowerCase(Locale.ROOT);
      String group = element instanceof Picture.Cluster ? "cluster " + kind : "node " + kind;
      if (trace && element.kind() != Picture.Kind.START && element.kind() != Picture.Kind.BRANCH) {
        group += element.visit() == null ? " unvisited" : " visited";
      }
      shapes.append(String.format(Locale.ROOT, "<g class=\"%s\" data-id=\"%s\">%n", group, xml(element.id())));
      double radius = element.kind() == Picture.Kind.END || element.kind() == Picture.Kind.START ? 14 : 6;
      shapes.append(String.format(Locale.ROOT, "  <rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" rx=\"%.0f\"/>%n",
          x, y, node.getWidth(), node.getHeight(), radius));
      for (int i = 0; i < text.size(); i++) {
        shapes.append(String.format(Locale.ROOT, "  <text%s x=\"%.1f\" y=\"%.1f\">%s</text>%n", i == 0 ? " class=\"head\"" : "",
            x + PADDING + 2, y + PADDING + 12 + i * LINE_HEIGHT, xml(text.get(i))));
      }
      shapes.append("</g>\n");
      if (element instanceof Picture.Cluster cluster) {
        draw(node, cluster.inside(), x, y);
      }
    }
    for (Map.Entry<ElkEdge, Picture.Edge> entry : edges.entrySet()) {
      if (entry.getKey().getContainingNode() == parent) {
        drawEdge(entry.getKey(), entry.getValue(), offsetX, offsetY);
      }
    }
  }

  private void drawEdge(ElkEdge elk, Picture.Edge edge, double offsetX, double offsetY) {
    String style = edge.style().name().toLowerCase(Locale.ROOT) + (edge.taken() > 0 ? " taken" : "");
    StringBuilder path = new StringBuilder();
    for (ElkEdgeSection section : elk.getSections()) {
      path.append(String.format(Locale.ROOT, "M %.1f %.1f", offsetX + section.getStartX(), offsetY + section.getStartY()));
      for (ElkBendPoint bend : section.getBendPoints()) {
        path.append(String.format(Locale.ROOT, " L %.1f %.1f", offsetX + bend.getX(), offsetY + bend.getY()));
      }
      path.append(String.format(Locale.ROOT, " L %.1f %.1f ", offsetX + section.getEndX(), offsetY + section.getEndY()));
    }
    lines.append(String.format(Locale.ROOT, "<g class=\"edge %s\" data-from=\"%s\" data-to=\"%s\">%n", style,
        xml(edge.from()), xml(edge.to())));
    lines.append("  <path d=\"").append(path.toString().trim()).append("\"/>\n");
    for (ElkLabel label : elk.getLabels()) {
      lines.append(String.format(Locale.ROOT, "  <text x=\"%.1f\" y=\"%.1f\">%s</text>%n", offsetX + label.getX() + 2,
          offsetY + label.getY() + 11, xml(label.getText())));
    }
    lines.append("</g>\n");
  }

  private static String xml(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
  }
}
