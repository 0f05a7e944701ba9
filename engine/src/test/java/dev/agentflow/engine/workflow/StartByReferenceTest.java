package dev.agentflow.engine.workflow;

import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.failureType;
import static dev.agentflow.engine.workflow.AgentGraphWorkflowTest.rootMessage;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.registry.AliasRoute;
import dev.agentflow.engine.registry.DirectoryRegistryIndex;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.registry.RegistryActivities;
import dev.agentflow.engine.registry.RegistryException;
import dev.agentflow.engine.testing.Replay;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs started by a registry reference: resolved once, in an activity, and pinned from then on. */
class StartByReferenceTest {

  @TempDir Path tempDir;

  private GraphRegistry registry;
  private GraphHarness harness;

  @BeforeEach
  void setUp() {
    registry = new GraphRegistry(new DirectoryBlobStore(tempDir.resolve("blobs")),
        new DirectoryRegistryIndex(tempDir.resolve("registry")));
    harness = new GraphHarness(tempDir, null, registry);
  }

  @AfterEach
  void tearDown() {
    harness.close();
  }

  /** Version {@code version} of 'greeter': waits for 'go' when {@code waits}, then ends with its number. */
  private void deploy(int version, boolean waits) {
    String nodes = waits
        ? "  hold: {kind: wait, event: go, next: done}\n  done: {kind: end, output: \"({version: %d})\"}\n".formatted(version)
        : "  done: {kind: end, output: \"({version: %d, who: input.who})\"}\n".formatted(version);
    registry.deploy(DefinitionLoader.withoutToolCheck().load("""
        apiVersion: agentflow/v1
        name: greeter
        version: %d
        input: {type: object, properties: {who: {type: string}}}
        start: %s
        nodes:
        %s""".formatted(version, waits ? "hold" : "done", nodes), "greeter.yaml"));
  }

  private WorkflowStub start(String reference, String workflowId) {
    WorkflowStub stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(RunRequest.byReference(reference, GraphHarness.json("{\"who\": \"ada\"}"), null));
    return stub;
  }

  private static int versionOf(RunResult result) {
    return result.output().path("version").asInt();
  }

  @Test
  void should_run_the_version_an_alias_points_at() {
    deploy(1, false);
    deploy(2, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));

    RunResult result = start("greeter@prod", "by-alias").getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"version\": 1, \"who\": \"ada\"}"));
  }

  @Test
  void should_run_a_named_version_and_the_latest_for_a_bare_name() {
    deploy(1, false);
    deploy(2, false);

    assertThat(versionOf(start("greeter:1", "by-version").getResult(RunResult.class))).isEqualTo(1);
    assertThat(versionOf(start("greeter", "latest").getResult(RunResult.class))).isEqualTo(2);
  }

  @Test
  void should_record_name_version_sha256_and_alias_in_the_resolve_activity_and_replay() throws Exception {
    deploy(1, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));
    String sha = registry.version("greeter", 1).sha256();

    start("greeter@prod", "recorded").getResult(RunResult.class);

    List<HistoryEvent> history = harness.history("recorded");
    HistoryEvent scheduled = history.stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes).findFirst().orElseThrow();
    assertThat(scheduled.getActivityTaskScheduledEventAttributes().getActivityType().getName()).isEqualTo(RegistryActivities.RESOLVE);
    String result = history.stream().filter(HistoryEvent::hasActivityTaskCompletedEventAttributes).findFirst().orElseThrow()
        .getActivityTaskCompletedEventAttributes().getResult().getPayloads(0).getData().toStringUtf8();
    com.fasterxml.jackson.databind.JsonNode resolved = GraphHarness.json(result);
    assertThat(resolved.path("name").asText()).isEqualTo("greeter");
    assertThat(resolved.path("version").asInt()).isEqualTo(1);
    assertThat(resolved.path("sha256").asText()).isEqualTo(sha);
    assertThat(resolved.path("alias").asText()).isEqualTo("prod");
    Replay.check(harness.client().fetchHistory("recorded"));
  }

  @Test
  void should_set_the_sha256_and_alias_search_attributes() {
    deploy(1, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));

    start("greeter@prod", "attributes").getResult(RunResult.class);

    Map<String, Payload> upserted = harness.history("attributes").stream()
        .filter(e -> e.getEventType() == EventType.EVENT_TYPE_UPSERT_WORKFLOW_SEARCH_ATTRIBUTES)
        .findFirst().orElseThrow().getUpsertWorkflowSearchAttributesEventAttributes().getSearchAttributes().getIndexedFieldsMap();
    assertThat(upserted.get("AgentflowGraphSha").getData().toStringUtf8())
        .contains(registry.version("greeter", 1).sha256());
    assertThat(upserted.get("AgentflowGraphAlias").getData().toStringUtf8()).contains("prod");
    assertThat(upserted.get("AgentflowGraphVersion").getData().toStringUtf8()).isEqualTo("1");
  }

  @Test
  void should_finish_on_its_version_when_the_alias_moves_during_the_run() {
    deploy(1, true);
    deploy(2, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));
    WorkflowStub inFlight = start("greeter@prod", "in-flight");
    GraphHarness.awaitWaitingFor(inFlight, "go");

    registry.alias("greeter", "prod", AliasRoute.single(2));
    WorkflowStub after = start("greeter@prod", "after-flip");
    inFlight.signal("go", GraphHarness.json("{}"));

    RunResult inFlightResult = inFlight.getResult(RunResult.class);
    assertThat(inFlightResult.trace()).extracting(TraceEntry::node).containsExactly("hold", "done");
    assertThat(versionOf(inFlightResult)).isEqualTo(1);
    assertThat(versionOf(after.getResult(RunResult.class))).isEqualTo(2);
  }

  @Test
  void should_pick_each_weighted_run_by_its_workflow_id() {
    deploy(1, false);
    deploy(2, false);
    AliasRoute canary = AliasRoute.parse("1:50,2:50");
    registry.alias("greeter", "prod", canary);

    for (int i = 0; i < 6; i++) {
      String id = "weighted-" + i;
      assertThat(versionOf(start("greeter@prod", id).getResult(RunResult.class))).as(id).isEqualTo(canary.pick(id));
    }
  }

  @Test
  void should_fail_the_start_with_GraphNotFound_listing_the_aliases_when_the_alias_is_unknown() {
    deploy(1, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));

    assertThatThrownBy(() -> start("greeter@staging", "unknown-alias").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(RegistryException.GRAPH_NOT_FOUND))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo(
            "cannot start from 'greeter@staging': 'greeter' has no alias 'staging'; aliases: prod → 1; versions: 1"));
  }

  @Test
  void should_fail_the_start_listing_the_graphs_when_the_name_is_unknown() {
    deploy(1, false);

    assertThatThrownBy(() -> start("greter:1", "unknown-name").getResult(RunResult.class))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(RegistryException.GRAPH_NOT_FOUND))
        .satisfies(e -> assertThat(rootMessage(e)).contains("no graph 'greter' in the registry; graphs: greeter"));
  }

  @Test
  void should_refuse_a_run_input_with_both_a_definition_and_a_graph() {
    deploy(1, false);
    WorkflowStub stub = harness.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId("both").setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    stub.start(new RunRequest(TextNode.valueOf("apiVersion: agentflow/v1"), GraphHarness.json("{}"), null, null, null, null,
        "greeter:1"));

    assertThatThrownBy(() -> stub.getResult(RunResult.class))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(FailureTypes.INVALID_INPUT))
        .satisfies(e -> assertThat(rootMessage(e)).contains("both 'definition' and 'graph'"));
  }

  private static final String CALLER = """
      apiVersion: agentflow/v1
      name: caller
      version: 1
      start: hold
      nodes:
        hold: {kind: wait, event: go, next: call}
        call: {kind: subgraph, graph: {ref: "greeter@prod"}, input: "({who: 'child'})", next: done}
        done: {kind: end, output: "nodes.call.output"}
      """;

  @Test
  void should_pin_a_registered_subgraph_when_the_parent_starts_even_if_the_alias_moves_before_the_child_runs() {
    deploy(1, false);
    deploy(2, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));
    WorkflowStub parent = harness.start(CALLER, "{}", "caller-pinned");
    GraphHarness.awaitWaitingFor(parent, "go");

    registry.alias("greeter", "prod", AliasRoute.single(2));
    parent.signal("go", GraphHarness.json("{}"));

    assertThat(parent.getResult(RunResult.class).output())
        .isEqualTo(GraphHarness.json("{\"version\": 1, \"who\": \"child\"}"));
    assertThat(harness.history("caller-pinned").stream().filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(e -> e.getActivityTaskScheduledEventAttributes().getActivityType().getName()).toList())
        .contains(RegistryActivities.PIN_SUBGRAPHS);
  }

  @Test
  void should_pin_the_registered_subgraphs_of_a_graph_started_by_reference() {
    deploy(1, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));
    registry.deploy(DefinitionLoader.withoutToolCheck().load("""
        apiVersion: agentflow/v1
        name: caller
        version: 1
        start: call
        nodes:
          call: {kind: subgraph, graph: {ref: "greeter@prod"}, input: "({who: 'child'})", next: done}
          done: {kind: end, output: "nodes.call.output"}
        """, "caller.yaml"));

    RunResult result = start("caller:1", "caller-by-ref").getResult(RunResult.class);

    assertThat(result.output()).isEqualTo(GraphHarness.json("{\"version\": 1, \"who\": \"child\"}"));
  }

  @Test
  void should_fail_the_parent_at_start_listing_the_aliases_when_a_subgraph_reference_is_unknown() {
    deploy(1, false);
    registry.alias("greeter", "prod", AliasRoute.single(1));

    assertThatThrownBy(() -> harness.run(CALLER.replace("greeter@prod", "greeter@canary"), "{}"))
        .satisfies(e -> assertThat(failureType(e)).isEqualTo(RegistryException.GRAPH_NOT_FOUND))
        .satisfies(e -> assertThat(rootMessage(e)).isEqualTo("cannot pin the registered child graphs [greeter@canary]:"
            + " 'greeter' has no alias 'canary'; aliases: prod → 1; versions: 1"));
  }
}
