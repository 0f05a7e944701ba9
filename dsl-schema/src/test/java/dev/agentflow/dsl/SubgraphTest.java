package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Child graphs: resolved when the parent loads, pinned into its canonical JSON, never re-read. */
class SubgraphTest {

  private static final String PARENT = """
      apiVersion: agentflow/v1
      name: parent
      version: 1
      start: child
      nodes:
        child: {kind: subgraph, graph: {path: ./child.yaml}, input: "({topic: input.topic})", next: done}
        done: {kind: end, output: "nodes.child.output"}
      """;

  private static final String CHILD = """
      apiVersion: agentflow/v1
      name: child
      version: 7
      models: {m: {provider: offline, model: x}}
      start: answer
      nodes:
        answer: {kind: llm, model: m, prompt: "About ${input.topic}", next: done}
        done: {kind: end}
      """;

  private final DefinitionLoader loader = new DefinitionLoader(FixtureTest.TOOLS);

  @TempDir
  Path directory;

  @Test
  void a_pinned_canonical_json_reloads_to_the_same_graph_and_sha256_without_the_files()
      throws IOException {
    write("child.yaml", CHILD);
    LoadedDefinition original = loader.load(write("parent.yaml", PARENT));
    Files.delete(directory.resolve("child.yaml"));
    Files.delete(directory.resolve("parent.yaml"));

    LoadedDefinition reloaded = loader.load(original.canonicalJson(), "<pinned>");

    assertThat(reloaded.sha256()).isEqualTo(original.sha256());
    assertThat(reloaded.graph()).isEqualTo(original.graph());
    SubgraphRef child = ((SubgraphNode) reloaded.graph().node("child")).graph();
    assertThat(child.path()).isEqualTo("./child.yaml");
    assertThat(child.definition().path("name").asText()).isEqualTo("child");
    assertThat(child.definition().path("version").asInt()).isEqualTo(7);
  }

  @Test
  void editing_the_child_file_after_loading_does_not_change_the_loaded_parent() throws IOException {
    write("child.yaml", CHILD);
    LoadedDefinition loaded = loader.load(write("parent.yaml", PARENT));
    JsonNode pinnedBefore = ((SubgraphNode) loaded.graph().node("child")).graph().definition().deepCopy();

    write("child.yaml", CHILD.replace("version: 7", "version: 8").replace("About", "Regarding"));

    assertThat(((SubgraphNode) loaded.graph().node("child")).graph().definition()).isEqualTo(pinnedBefore);
    assertThat(loader.load(loaded.canonicalJson(), "<pinned>").sha256()).isEqualTo(loaded.sha256());
    LoadedDefinition next = loader.load(directory.resolve("parent.yaml"));
    assertThat(next.sha256()).as("a new load picks up the edit").isNotEqualTo(loaded.sha256());
  }

  @Test
  void a_subgraph_path_loaded_from_text_is_not_read_and_must_be_pinned() throws IOException {
    write("child.yaml", CHILD);

    DefinitionException rejection =
        catchThrowableOfType(DefinitionException.class, () -> loader.load(PARENT, "parent.yaml"));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.message()).isEqualTo("subgraph path './child.yaml' is not pinned: submit the"
          + " definition with `agentflow run` or inline the graph");
      assertThat(problem.pointer()).isEqualTo("/nodes/child/graph/path");
      assertThat(problem.line()).isEqualTo(6);
    });
  }

  @Test
  void an_inline_branch_becomes_a_complete_valid_definition_named_after_its_parent() {
    LoadedDefinition parent = loader.load(NodeKindsTest.resourcePath("valid/parallel-branches.yaml"));
    ParallelNode fan = (ParallelNode) parent.graph().node("fan");

    JsonNode security = fan.branches().get("security").definition();

    assertThat(fan.branches().get("security").path()).isNull();
    assertThat(security.path("apiVersion").asText()).isEqualTo("agentflow/v1");
    assertThat(security.path("name").asText()).isEqualTo("parallel-branches--fan--security");
    assertThat(security.path("version").asInt()).isEqualTo(1);
    assertThat(security.path("models").has("m")).isTrue();
    assertThat(security.path("start").asText()).isEqualTo("check");
    GraphDefinition child = loader.load(security, "<security>").graph();
    assertThat(child.nodes().keySet()).containsExactly("check", "done");
  }

  @Test
  void a_cycle_of_subgraph_paths_is_a_problem_where_it_closes() throws IOException {
    write("a.yaml", PARENT.replace("name: parent", "name: a").replace("./child.yaml", "./b.yaml"));
    write("b.yaml", PARENT.replace("name: parent", "name: b").replace("./child.yaml", "./a.yaml"));

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> loader.load(directory.resolve("a.yaml")));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).endsWith("b.yaml");
      assertThat(problem.message()).isEqualTo(
          "subgraph path './a.yaml' makes a cycle: a.yaml → b.yaml → a.yaml");
    });
  }

  @Test
  void a_mistake_in_a_child_file_is_reported_with_the_child_file_and_position() throws IOException {
    write("child.yaml", CHILD.replace("model: m,", "model: nope,"));

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> loader.load(write("parent.yaml", PARENT)));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(directory.resolve("child.yaml").toString());
      assertThat(problem.line()).isEqualTo(7);
      assertThat(problem.message()).startsWith("model 'nope' of node 'answer'");
    });
  }

  @Test
  void a_child_under_a_parent_cost_budget_must_price_its_models() throws IOException {
    write("child.yaml", CHILD);
    String parent = PARENT.replace("version: 1\n", "version: 1\nbudget: {maxCostUsd: 0.5}\n");

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> loader.load(write("parent.yaml", parent)));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).endsWith("child.yaml");
      assertThat(problem.message()).startsWith(
          "model 'm' has no price under pricing, but the parent graph's budget limits cost");
    });
  }

  private Path write(String name, String text) throws IOException {
    return Files.writeString(directory.resolve(name), text);
  }
}
