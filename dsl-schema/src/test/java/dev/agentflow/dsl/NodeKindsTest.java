package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.internal.NodeBinders;
import dev.agentflow.dsl.internal.Schemas;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Every node kind is complete (binder, schema entry), and binding applies each kind's defaults. */
class NodeKindsTest {

  private final DefinitionLoader loader = new DefinitionLoader(FixtureTest.TOOLS);

  @Test
  void every_permitted_node_type_has_a_binder_and_a_schema_kind() {
    Set<Class<?>> bound = Set.copyOf(NodeBinders.types().values());
    assertThat(bound).containsExactlyInAnyOrder(Node.class.getPermittedSubclasses());
    List<String> schemaKinds = new ArrayList<>();
    JsonNode kindEnum = Schemas.agentGraphJson().at("/$defs/node/properties/kind/enum");
    kindEnum.forEach(kind -> schemaKinds.add(kind.asText()));
    assertThat(schemaKinds).containsExactlyElementsOf(NodeBinders.kinds());
    NodeBinders.kinds().forEach(kind -> assertThat(Schemas.agentGraphJson().at("/$defs/" + kind + "Node").isObject())
        .as("schema entry %sNode", kind).isTrue());
  }

  @Test
  void a_map_node_gets_the_fan_out_defaults() {
    MapNode each = (MapNode) load("valid/map-items.yaml").node("each");

    assertThat(each.fanOut()).isEqualTo(new FanOut(10, Join.all(), null, null, "fail"));
    assertThat(each.input()).isNull();
    assertThat(each.budget()).isNull();
    assertThat(each.graph().definition().path("name").asText()).isEqualTo("map-items--each");
  }

  @Test
  void a_parallel_node_binds_every_fan_out_setting_and_its_budget() {
    ParallelNode fan = (ParallelNode) load("valid/parallel-branches.yaml").node("fan");

    assertThat(fan.branches().keySet()).containsExactly("security", "style");
    assertThat(fan.fanOut()).isEqualTo(
        new FanOut(2, Join.atLeast(1), Duration.ofMinutes(10), "partial", "collect"));
    assertThat(fan.budget()).isEqualTo(new Budget(5000L, null, Budget.OnExceed.FAIL));
    assertThat(fan.branches().get("style").path()).isEqualTo("./parts/style-review.yaml");
    assertThat(fan.branches().get("style").definition().path("name").asText()).isEqualTo("style-review");
  }

  @Test
  void a_review_node_binds_author_and_reviewer_as_model_calls_without_routes() {
    ReviewNode refine = (ReviewNode) load("valid/review-node.yaml").node("refine");

    assertThat(refine.author().id()).isEqualTo("refine.author");
    assertThat(refine.author().tools()).containsExactly("web_search");
    assertThat(refine.author().maxIterations()).isEqualTo(4);
    assertThat(refine.author().transitions()).isEqualTo(Transitions.NONE);
    assertThat(refine.reviewer().id()).isEqualTo("refine.reviewer");
    assertThat(refine.reviewer().outputSchema()).isNotNull();
    assertThat(refine.reviewer().onError()).isNull();
    assertThat(refine.reviewer().onMaxIterations()).isNull();
    assertThat(refine.maxRounds()).isEqualTo(4);
    assertThat(refine.onMaxRounds()).isEqualTo("escalate");
    assertThat(refine.feedback()).isEqualTo("output.feedback");
  }

  @Test
  void a_review_node_has_three_rounds_by_default() {
    String text = "apiVersion: agentflow/v1\nname: g\nversion: 1\nmodels: {m: {provider: offline, model: x}}\n"
        + "start: r\nnodes:\n  r: {kind: review, author: {model: m, prompt: a}, reviewer: {model: m, prompt: b},"
        + " approved: 'true', next: done}\n  done: {kind: end}\n";

    assertThat(((ReviewNode) loader.load(text, "g.yaml").graph().node("r")).maxRounds())
        .isEqualTo(ReviewNode.DEFAULT_MAX_ROUNDS);
  }

  @Test
  void a_wait_node_binds_its_event_payload_and_timeout() {
    WaitNode approval = (WaitNode) load("valid/wait-node.yaml").node("approval");

    assertThat(approval.event()).isEqualTo("approve");
    assertThat(approval.payloadSchema().path("required").get(0).asText()).isEqualTo("approved");
    assertThat(approval.timeout()).isEqualTo(Duration.ofHours(48));
    assertThat(approval.onTimeout()).isEqualTo("expired");
  }

  @Test
  void budgets_and_pricing_bind_with_their_on_exceed_actions() {
    GraphDefinition graph = load("valid/subgraph-node.yaml");

    assertThat(graph.pricing()).containsEntry("m", new Price(2.0, 8.0));
    assertThat(graph.budget()).isEqualTo(new Budget(200000L, 1.5, new Budget.OnExceed("ask", "raise_budget")));
    assertThat(graph.node("child").budget()).isEqualTo(new Budget(null, 0.10, new Budget.OnExceed("route", "cheap")));
    assertThat(graph.node("cheap").budget().onExceed()).isEqualTo(Budget.OnExceed.FAIL);
  }

  private GraphDefinition load(String resource) {
    return loader.load(resourcePath(resource)).graph();
  }

  /** A fixture as a file, so that its subgraph paths resolve. */
  static Path resourcePath(String resource) {
    try {
      return Path.of(NodeKindsTest.class.getClassLoader().getResource(resource).toURI());
    } catch (URISyntaxException e) {
      throw new IllegalStateException(e);
    }
  }
}
