package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DefinitionLoaderTest {

  private final DefinitionLoader loader = new DefinitionLoader(FixtureTest.TOOLS);

  @Test
  void canonical_json_does_not_depend_on_key_order_or_formatting() {
    String compact = "apiVersion: agentflow/v1\nname: g\nversion: 1\nstart: done\n"
        + "nodes: {done: {kind: end, output: input}}\n";
    String reordered = "# a comment\nnodes:\n  done:\n    output: input\n    kind: end\n"
        + "start: done\nversion: 1\nname: g\napiVersion: agentflow/v1\n";

    LoadedDefinition first = loader.load(compact, "a.yaml");
    LoadedDefinition second = loader.load(reordered, "b.yaml");

    assertThat(second.canonicalJson()).isEqualTo(first.canonicalJson());
    assertThat(second.sha256()).isEqualTo(first.sha256()).hasSize(64).matches("[0-9a-f]+");
    assertThat(first.canonicalJson()).isEqualTo(
        "{\"apiVersion\":\"agentflow/v1\",\"name\":\"g\",\"nodes\":{\"done\":{\"kind\":\"end\","
            + "\"output\":\"input\"}},\"start\":\"done\",\"version\":1}");
  }

  @Test
  void json_and_yaml_of_the_same_graph_have_the_same_sha256() throws IOException {
    LoadedDefinition yaml = loader.load(resource("canonical/graph.yaml"), "graph.yaml");
    LoadedDefinition json = loader.load(resource("canonical/graph.json"), "graph.json");
    LoadedDefinition tree = loader.load(new ObjectMapper().readTree(resource("canonical/graph.json")), "tree");

    assertThat(json.sha256()).isEqualTo(yaml.sha256());
    assertThat(tree.sha256()).isEqualTo(yaml.sha256());
  }

  @Test
  void a_canonical_form_loads_again_to_the_same_sha256() {
    LoadedDefinition original = loader.load(resource("valid/research-review.yaml"), "rr.yaml");
    LoadedDefinition reloaded = loader.load(original.canonicalJson(), "<pinned>");

    assertThat(reloaded.sha256()).isEqualTo(original.sha256());
    assertThat(reloaded.graph()).isEqualTo(original.graph());
  }

  @Test
  void every_problem_is_reported_at_once() {
    String text = "apiVersion: agentflow/v1\nname: three\nversion: 1\n"
        + "models: {m: {provider: offline, model: x}}\nstart: a\nnodes:\n"
        + "  a: {kind: llm, model: nope, prompt: hi, next: b}\n"
        + "  b: {kind: tool, tool: rm_rf, next: c}\n"
        + "  c: {kind: end, output: 'input.'}\n";

    DefinitionException rejection =
        catchThrowableOfType(DefinitionException.class, () -> loader.load(text, "three.yaml"));

    assertThat(rejection.problems()).extracting(Problem::line).containsExactly(7, 8, 9);
    assertThat(rejection.problems()).extracting(Problem::message).satisfiesExactly(
        model -> assertThat(model).contains("model 'nope'"),
        tool -> assertThat(tool).contains("unknown tool 'rm_rf'"),
        expression -> assertThat(expression).contains("nodes.c.output is not a valid expression"));
    assertThat(rejection.getMessage()).contains("three.yaml:7:").contains("three.yaml:9:");
  }

  @Test
  void every_schema_problem_is_reported_at_once() {
    String text = "apiVersion: agentflow/v1\nname: g\nversion: 0\nstart: a\nnodes:\n"
        + "  a: {kind: end, outptu: x}\n  b: {kind: wiat}\n";

    DefinitionException rejection =
        catchThrowableOfType(DefinitionException.class, () -> loader.load(text, "g.yaml"));

    assertThat(rejection.problems()).extracting(Problem::message).satisfiesExactly(
        version -> assertThat(version).isEqualTo("version must be at least 1, got 0"),
        property -> assertThat(property).startsWith("unknown property 'outptu' in node 'a' (did you mean 'output'?)"),
        kind -> assertThat(kind).startsWith("'wiat' is not a node kind"));
  }

  @Test
  void binding_applies_the_documented_defaults() {
    GraphDefinition graph = loader.load(resource("valid/minimal.yaml"), "minimal.yaml").graph();

    LlmNode greet = (LlmNode) graph.node("greet");
    assertThat(greet.maxIterations()).isEqualTo(LlmNode.DEFAULT_MAX_ITERATIONS);
    assertThat(greet.tools()).isEmpty();
    assertThat(greet.transitions().routes()).isEmpty();
    assertThat(greet.transitions().set()).isEmpty();
    assertThat(graph.models().get("demo").timeout()).isEqualTo(ModelSpec.DEFAULT_TIMEOUT);
    assertThat(graph.models().get("demo").retry()).isEqualTo(RetrySpec.DEFAULT);
    assertThat(graph.toolSettings("anything")).isEqualTo(ToolSettings.DEFAULT);
    assertThat(graph.inputSchema()).isNull();
    assertThat(((EndNode) graph.node("done")).output()).isNull();
  }

  @Test
  void binding_keeps_file_order_and_parses_durations() {
    GraphDefinition graph =
        loader.load(resource("valid/tool-pipeline.yaml"), "tool-pipeline.yaml").graph();

    assertThat(graph.nodes().keySet()).containsExactly("fetch", "summarise", "save", "done", "failed");
    ToolSettings writeFile = graph.toolSettings("write_file");
    assertThat(writeFile.timeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(writeFile.retry()).isEqualTo(new RetrySpec(Duration.ofSeconds(2), 2.0,
        Duration.ofSeconds(30), 3, List.of("PermissionDenied")));
    ToolNode fetch = (ToolNode) graph.node("fetch");
    assertThat(fetch.onError()).isEqualTo("failed");
    assertThat(fetch.transitions().routes()).containsExactly(
        new Route("vars.size > 100000", "summarise"), new Route(null, "save"));
    assertThat(fetch.arguments().path("retries").asInt()).isEqualTo(2);
    assertThat(graph.models().get("fast").temperature()).isEqualTo(0.2);
  }

  @Test
  void a_loader_without_a_tool_registry_accepts_any_tool() {
    String text = "apiVersion: agentflow/v1\nname: g\nversion: 1\nstart: a\nnodes:\n"
        + "  a: {kind: tool, tool: anything_goes, next: b}\n  b: {kind: end}\n";

    assertThat(DefinitionLoader.withoutToolCheck().load(text, "g.yaml").graph().nodes()).hasSize(2);
    assertThatThrownBy(() -> new DefinitionLoader(Set.of()).load(text, "g.yaml"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("unknown tool 'anything_goes'");
  }

  @Test
  void a_definition_given_as_a_tree_reports_pointers_without_positions() {
    JsonNode tree = new ObjectMapper().createObjectNode().put("apiVersion", "agentflow/v1");

    DefinitionException rejection =
        catchThrowableOfType(DefinitionException.class, () -> loader.load(tree, "<tree>"));

    assertThat(rejection.problems()).isNotEmpty().allSatisfy(problem -> {
      assertThat(problem.line()).isZero();
      assertThat(problem.file()).isEqualTo("<tree>");
    });
  }

  @Test
  void a_literal_api_key_is_never_repeated_in_the_message() {
    String text = "apiVersion: agentflow/v1\nname: g\nversion: 1\n"
        + "models: {m: {provider: openai, model: x, apiKey: sk-secret-value}}\n"
        + "start: a\nnodes: {a: {kind: end}}\n";

    assertThatThrownBy(() -> loader.load(text, "g.yaml"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("models.m.apiKey must be a secret reference")
        .hasMessageNotContaining("sk-secret-value");
  }

  @Test
  void an_empty_file_is_one_problem() {
    assertThatThrownBy(() -> loader.load("# nothing here\n", "empty.yaml"))
        .isInstanceOf(DefinitionException.class)
        .hasMessageContaining("empty.yaml:1:1: the file is empty");
  }

  @Test
  void a_json_syntax_error_has_its_own_position() {
    DefinitionException rejection = catchThrowableOfType(DefinitionException.class,
        () -> loader.load("{\n  \"name\": \"x\",\n  \"version\": 1,,\n}", "g.json"));

    assertThat(rejection.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.line()).isEqualTo(3);
      assertThat(problem.message()).startsWith("syntax error:");
    });
  }

  static String resource(String name) {
    try (InputStream in = DefinitionLoaderTest.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
