package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.llm.offline.OfflineScript;
import dev.agentflow.engine.llm.offline.ScriptChecks;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Offline scripts are read like definitions, answer for their graph's children, and are checked against it. */
class ScriptLibraryTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  void should_answer_an_inline_child_graph_from_its_parents_script_in_a_directory() {
    ScriptLibrary library = ScriptLibrary.loadDirectory(DEFINITIONS);

    assertThat(library.forGraph("map-reduce-summarizer--summarize-each"))
        .hasValueSatisfying(script -> assertThat(script.graph()).isEqualTo("map-reduce-summarizer"));
    assertThat(library.forGraph("parallel-review--fan--security"))
        .hasValueSatisfying(script -> assertThat(script.graph()).isEqualTo("parallel-review"));
  }

  @Test
  void should_prefer_a_graphs_own_script_and_find_none_for_an_unknown_graph() {
    ScriptLibrary library = ScriptLibrary.loadDirectory(DEFINITIONS);

    assertThat(library.forGraph("tool-agent")).hasValueSatisfying(s -> assertThat(s.graph()).isEqualTo("tool-agent"));
    assertThat(library.forGraph("nobody--child")).isEmpty();
  }

  @Test
  void should_report_a_misplaced_value_of_a_script_at_its_line_and_column() throws IOException {
    Path script = Files.writeString(dir.resolve("x.offline.yaml"), """
        graph: x
        replies:
          agent:
            - content: hi
              usage: {input: many, output: 2}
        """);

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class, () -> ScriptLibrary.loadFile(script));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).isEqualTo(script.toString());
      assertThat(problem.line()).isEqualTo(5);
      assertThat(problem.column()).isEqualTo(22);
      assertThat(problem.message()).contains("many");
      assertThat(problem.pointer()).isEqualTo("/replies/agent/0/usage/input");
    });
  }

  @Test
  void should_report_an_unknown_property_of_a_reply_naming_the_allowed_ones() throws IOException {
    Path script = Files.writeString(dir.resolve("x.offline.yaml"), """
        replies:
          agent:
            - contnet: hi
        """);

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class, () -> ScriptLibrary.loadFile(script));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(3);
      assertThat(problem.message()).contains("unknown property 'contnet'").contains("content");
    });
  }

  @Test
  void should_reject_a_yaml_alias_in_a_script_like_in_a_definition() throws IOException {
    Path script = Files.writeString(dir.resolve("x.offline.yaml"), """
        replies:
          a: &r [{content: hi}]
          b: *r
        """);

    DefinitionException rejection = catchThrowableOfType(DefinitionException.class, () -> ScriptLibrary.loadFile(script));

    assertThat(rejection.problems()).extracting(p -> p.line() + ":" + p.column())
        .containsExactlyInAnyOrder("2:6", "3:6");
  }

  @Test
  void should_accept_every_example_script_against_its_graph() throws IOException {
    try (var files = Files.list(DEFINITIONS)) {
      for (Path script : files.filter(f -> f.toString().endsWith(ScriptLibrary.SUFFIX)).sorted().toList()) {
        Path definition = script.resolveSibling(script.getFileName().toString().replace(".offline.yaml", ".yaml"));
        GraphDefinition graph = DefinitionLoader.withoutToolCheck().load(definition).graph();
        LocatedDocument document = LocatedDocument.read(script, ReadLimits.DEFAULTS);
        OfflineScript parsed = ScriptLibrary.parse(document);

        assertThat(ScriptChecks.check(document, parsed, graph)).as(script.toString()).isEmpty();
      }
    }
  }

  @Test
  void should_report_a_scripted_node_that_does_not_call_a_model_in_the_graph_at_its_key() throws IOException {
    Path script = Files.writeString(dir.resolve("tool-agent.offline.yaml"), """
        graph: tool-agent
        replies:
          agent: [{content: "42"}]
          agnet: [{content: "42"}]
        """);
    GraphDefinition graph = DefinitionLoader.withoutToolCheck().load(DEFINITIONS.resolve("tool-agent.yaml")).graph();
    LocatedDocument document = LocatedDocument.read(script, ReadLimits.DEFAULTS);

    assertThat(ScriptChecks.check(document, ScriptLibrary.parse(document), graph)).singleElement()
        .hasToString(script + ":4:3: 'agnet' is not a node that calls a model in graph 'tool-agent' or its child"
            + " graphs (expected one of agent) (at /replies/agnet)");
  }

  @Test
  void should_count_the_model_calls_of_child_graphs_and_review_nodes_as_script_nodes() {
    GraphDefinition parallel = DefinitionLoader.withoutToolCheck().load(DEFINITIONS.resolve("parallel-review.yaml")).graph();
    GraphDefinition review = DefinitionLoader.withoutToolCheck()
        .load(DEFINITIONS.resolve("planner-reviewer-executor.yaml")).graph();

    assertThat(ScriptChecks.modelCallers(parallel)).contains("security_check", "style_check", "merge");
    assertThat(ScriptChecks.modelCallers(review)).contains("refine.author", "refine.reviewer");
  }
}
