package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * {@link DefinitionLoader#bindValidated}: what a run's later workflow tasks and replays use. It
 * binds what a full load bound, and it checks nothing, so a stricter validator can never fail a
 * replay.
 */
class BindValidatedTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions");
  private static final ObjectMapper JSON = new ObjectMapper();

  private final DefinitionLoader loader = new DefinitionLoader(ExampleDefinitionsTest.BUILT_IN_TOOLS);

  @TestFactory
  Stream<DynamicTest> should_bind_every_example_to_the_graph_and_sha256_of_a_full_load() throws IOException {
    List<Path> files;
    try (Stream<Path> listing = Files.list(DEFINITIONS)) {
      files = listing.filter(p -> p.toString().endsWith(".yaml") && !p.toString().endsWith(".offline.yaml")).sorted().toList();
    }
    assertThat(files).isNotEmpty();
    return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
      LoadedDefinition loaded = loader.load(file);

      LoadedDefinition fromText = DefinitionLoader.bindValidated(loaded.canonicalJson(), "<pinned>");
      LoadedDefinition fromTree = DefinitionLoader.bindValidated(JSON.readTree(loaded.canonicalJson()), "<pinned>");

      assertThat(fromText.graph()).isEqualTo(loaded.graph());
      assertThat(fromTree.graph()).isEqualTo(loaded.graph());
      assertThat(fromText.sha256()).isEqualTo(loaded.sha256());
      assertThat(fromTree.canonicalJson()).isEqualTo(loaded.canonicalJson());
    }));
  }

  @Test
  void should_bind_yaml_text_to_the_graph_of_a_full_load_of_the_same_text() throws IOException {
    String text = Files.readString(Path.of("src/test/resources/valid/research-review.yaml"));

    LoadedDefinition loaded = new DefinitionLoader(FixtureTest.TOOLS).load(text, "research-review.yaml");
    LoadedDefinition bound = DefinitionLoader.bindValidated(text, "research-review.yaml");

    assertThat(bound.graph()).isEqualTo(loaded.graph());
    assertThat(bound.sha256()).isEqualTo(loaded.sha256());
  }

  @Test
  void should_bind_a_definition_the_checks_reject_without_running_them() {
    String text = """
        apiVersion: agentflow/v1
        name: hello
        version: 1
        models: {demo: {provider: offline, model: scripted}}
        start: greet
        nodes:
          greet: {kind: llm, model: demo, prompt: "Say ${(hello}", nextt: done, next: done}
          done: {kind: end, output: "nodes.greet.output +* 1"}
        """;
    assertThatThrownBy(() -> loader.load(text, "hello.yaml")).isInstanceOf(DefinitionException.class);

    LoadedDefinition bound = DefinitionLoader.bindValidated(text, "hello.yaml");

    assertThat(bound.graph().node("done")).isInstanceOf(EndNode.class);
    assertThat(((EndNode) bound.graph().node("done")).output()).isEqualTo("nodes.greet.output +* 1");
  }

  @Test
  void should_refuse_to_bind_a_child_graph_that_is_not_pinned() {
    String text = """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        start: child
        nodes:
          child: {kind: subgraph, graph: {path: ./child.yaml}, next: done}
          done: {kind: end}
        """;

    assertThatThrownBy(() -> DefinitionLoader.bindValidated(text, "parent.yaml"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("is not pinned");
  }

  @Test
  void should_say_when_the_text_does_not_parse() {
    assertThatThrownBy(() -> DefinitionLoader.bindValidated("{\"a\": ", "broken.json"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("broken.json: the definition does not parse");
  }
}
