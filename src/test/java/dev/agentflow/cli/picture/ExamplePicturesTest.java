package dev.agentflow.cli.picture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.MapNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ParallelNode;
import dev.agentflow.dsl.SubgraphNode;
import dev.agentflow.dsl.SubgraphRef;
import dev.agentflow.dsl.Target;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * The picture of every example in {@code definitions/}, in every format, holds every node (child
 * graphs' nodes included) and one edge for every way out of every node, in the right place.
 */
class ExamplePicturesTest {

  static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();

  static Stream<Path> examples() throws IOException {
    return Files.list(DEFINITIONS)
        .filter(f -> f.getFileName().toString().endsWith(".yaml") && !f.getFileName().toString().endsWith(".offline.yaml"))
        .sorted();
  }

  static GraphDefinition load(Path file) {
    return DefinitionLoader.withoutToolCheck().load(file).graph();
  }

  /** Every node id as the picture names it, and every edge (from → to) the definition has. */
  record Expected(List<String> nodes, List<String> edges) {}

  static Expected expected(GraphDefinition graph, String prefix) {
    List<String> nodes = new ArrayList<>();
    List<String> edges = new ArrayList<>();
    for (Node node : graph.nodes().values()) {
      String id = prefix + node.id();
      nodes.add(id);
      for (Target target : node.targets()) {
        edges.add(id + " → " + prefix + target.to());
      }
      if (node instanceof MapNode map) {
        add(nodes, edges, expected(bind(map.graph()), id + "/"));
      } else if (node instanceof SubgraphNode subgraph) {
        add(nodes, edges, expected(bind(subgraph.graph()), id + "/"));
      } else if (node instanceof ParallelNode parallel) {
        for (Map.Entry<String, SubgraphRef> branch : parallel.branches().entrySet()) {
          nodes.add(id + "/" + branch.getKey());
          add(nodes, edges, expected(bind(branch.getValue()), id + "/" + branch.getKey() + "/"));
        }
      }
    }
    return new Expected(nodes, edges);
  }

  private static void add(List<String> nodes, List<String> edges, Expected child) {
    nodes.addAll(child.nodes());
    edges.addAll(child.edges());
  }

  private static GraphDefinition bind(SubgraphRef ref) {
    return DefinitionLoader.withoutToolCheck().load(ref.definition(), "child").graph();
  }

  @TestFactory
  Stream<DynamicTest> every_examples_svg_has_a_box_for_every_node_and_an_edge_for_every_route() throws IOException {
    return examples().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      GraphDefinition graph = load(file);
      Expected expected = expected(graph, "");
      String svg = SvgWriter.write(PictureBuilder.of(graph));

      List<String> drawnNodes = matches(svg, "data-id=\"([^\"]+)\"");
      assertThat(drawnNodes).containsAll(expected.nodes());
      List<String> drawnEdges = new ArrayList<>();
      Matcher edge = Pattern.compile("data-from=\"([^\"]+)\" data-to=\"([^\"]+)\"").matcher(svg);
      while (edge.find()) {
        drawnEdges.add(edge.group(1) + " → " + edge.group(2));
      }
      assertThat(drawnEdges).containsAll(expected.edges());
      assertThat(svg).doesNotContain("NaN");
    }));
  }

  @TestFactory
  Stream<DynamicTest> every_examples_mermaid_names_every_node_and_draws_every_route() throws IOException {
    return examples().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      GraphDefinition graph = load(file);
      Expected expected = expected(graph, "");
      Picture picture = PictureBuilder.of(graph);
      String mermaid = MermaidWriter.write(picture);

      for (String node : expected.nodes()) {
        String last = node.substring(node.lastIndexOf('/') + 1);
        assertThat(mermaid).as(node).contains("<b>" + MermaidWriter.escape(last) + "</b>");
      }
      long arrows = mermaid.lines().filter(line -> line.matches("\\s*n\\d+ -(->|\\.->).*")).count();
      // one arrow per route, plus the start marker and a review's two inner edges
      assertThat(arrows).isEqualTo(Labels.edges(picture.root()).size());
      assertThat(Labels.edges(picture.root()).stream().map(e -> e.from() + " → " + e.to()).toList())
          .containsAll(expected.edges());
    }));
  }

  @TestFactory
  Stream<DynamicTest> every_examples_dot_has_a_node_or_cluster_for_every_node() throws IOException {
    return examples().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      GraphDefinition graph = load(file);
      Picture picture = PictureBuilder.of(graph);
      String dot = DotWriter.write(picture);
      long declared = dot.lines().filter(line -> line.matches("\\s*(n\\d+ \\[label=|subgraph cluster_n\\d+ \\{).*")).count();
      assertThat(declared).isEqualTo(Labels.all(picture.root()).size());
      long arrows = dot.lines().filter(line -> line.contains(" -> ")).count();
      assertThat(arrows).isEqualTo(Labels.edges(picture.root()).size());
    }));
  }

  private static List<String> matches(String text, String regex) {
    List<String> found = new ArrayList<>();
    Matcher matcher = Pattern.compile(regex).matcher(text);
    while (matcher.find()) {
      found.add(matcher.group(1));
    }
    return found;
  }
}
