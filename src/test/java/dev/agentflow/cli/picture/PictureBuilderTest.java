package dev.agentflow.cli.picture;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What a picture says about a graph: kinds, conditions, loops, bounds and clusters. */
class PictureBuilderTest {

  private static GraphDefinition graph(String yaml) {
    return DefinitionLoader.withoutToolCheck().load(yaml, "test.yaml").graph();
  }

  private static final String LOOP = """
      apiVersion: agentflow/v1
      name: loop
      version: 2
      models: {m: {provider: offline, model: x}}
      start: plan
      nodes:
        plan: {kind: llm, model: m, prompt: p, next: act}
        act: {kind: llm, model: m, prompt: p, tools: [calculator], maxIterations: 4, onMaxIterations: gave_up, next: check}
        check:
          kind: llm
          model: m
          prompt: p
          routes:
            - {when: "visits.plan < 3", to: plan}
            - {to: done}
        done: {kind: end}
        gave_up: {kind: end}
      """;

  @Test
  void should_label_a_route_with_its_condition_and_the_default_with_otherwise() {
    Picture picture = PictureBuilder.of(graph(LOOP));
    assertThat(picture.root().edges())
        .contains(new Picture.Edge("check", "plan", "visits.plan < 3", Picture.Style.CONDITION, 0))
        .contains(new Picture.Edge("check", "done", "otherwise", Picture.Style.ALWAYS, 0))
        .contains(new Picture.Edge("act", "gave_up", "max iterations", Picture.Style.EXIT, 0));
  }

  @Test
  void should_show_a_tool_loop_and_its_bound_on_the_node() {
    Picture picture = PictureBuilder.of(graph(LOOP));
    Picture.Element act = picture.root().elements().stream().filter(e -> e.id().equals("act")).findFirst().orElseThrow();
    assertThat(act.kind()).isEqualTo(Picture.Kind.LLM);
    assertThat(act.lines()).contains("tools: calculator", "↻ tool loop ≤ 4 model calls");
  }

  @Test
  void should_draw_a_review_as_a_cluster_with_its_author_reviewer_loop_and_bound() {
    Picture picture = PictureBuilder.of(graph("""
        apiVersion: agentflow/v1
        name: r
        version: 1
        models: {m: {provider: offline, model: x}}
        start: write
        nodes:
          write:
            kind: review
            maxRounds: 2
            approved: "output.ok"
            author: {model: m, prompt: draft}
            reviewer: {model: m, prompt: judge}
            next: done
          done: {kind: end}
        """));
    Picture.Cluster review = (Picture.Cluster) picture.root().elements().get(1);
    assertThat(review.kind()).isEqualTo(Picture.Kind.REVIEW);
    assertThat(review.lines()).contains("review · ≤ 2 drafts");
    assertThat(review.inside().edges())
        .extracting(Picture.Edge::from, Picture.Edge::to, Picture.Edge::style)
        .contains(org.assertj.core.groups.Tuple.tuple("write/reviewer", "write/author", Picture.Style.LOOP));
  }

  @Test
  void should_mark_what_a_run_did_on_nodes_and_edges() {
    RunFacts facts = new RunFacts(
        Map.of("plan", new Picture.Visit(2, 100, 20, 0.5, List.of("calculator(2+2) 12 ms"))),
        Map.of(RunFacts.edgeKey("check", "plan"), 1));
    Picture picture = PictureBuilder.of(graph(LOOP), facts);
    assertThat(picture.root().edges()).contains(new Picture.Edge("check", "plan", "visits.plan < 3", Picture.Style.CONDITION, 1));
    String svg = SvgWriter.write(picture);
    assertThat(svg).contains("×2 · 100+20 tokens · $0.500000").contains("calculator(2+2) 12 ms")
        .contains("class=\"edge condition taken\" data-from=\"check\" data-to=\"plan\"")
        .contains("class=\"node end unvisited\" data-id=\"done\"");
  }

  @Test
  void should_write_the_same_svg_for_the_same_graph() {
    assertThat(SvgWriter.write(PictureBuilder.of(graph(LOOP)))).isEqualTo(SvgWriter.write(PictureBuilder.of(graph(LOOP))));
  }
}
