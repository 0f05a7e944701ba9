package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A definition's {@code egress}: bound, pinned in the canonical form, and inherited by children. */
class EgressTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final DefinitionLoader loader = new DefinitionLoader(FixtureTest.TOOLS);

  @TempDir Path directory;

  private static String graph(String egress) {
    return """
        apiVersion: agentflow/v1
        name: narrowed
        version: 1
        %s
        start: fetch
        nodes:
          fetch: {kind: tool, tool: http_get, arguments: {url: "https://api.github.com/"}, next: done}
          done: {kind: end}
        """.formatted(egress);
  }

  @Test
  void should_bind_the_allow_list_and_cover_it_by_the_sha256() {
    LoadedDefinition narrowed = loader.load(graph("egress: {allow: [api.github.com, 10.0.0.0/8]}"), "n.yaml");
    LoadedDefinition wider = loader.load(graph("egress: {allow: [api.github.com, 10.0.0.0/7]}"), "w.yaml");
    LoadedDefinition open = loader.load(graph(""), "o.yaml");

    assertThat(narrowed.graph().egressAllow()).containsExactly("api.github.com", "10.0.0.0/8");
    assertThat(open.graph().egressAllow()).isNull();
    assertThat(narrowed.sha256()).isNotEqualTo(wider.sha256()).isNotEqualTo(open.sha256());
  }

  @Test
  void should_give_an_inline_child_graph_its_parents_egress() throws Exception {
    LoadedDefinition parent = loader.load("""
        apiVersion: agentflow/v1
        name: parent
        version: 1
        egress: {allow: ["*.github.com"]}
        start: fan
        nodes:
          fan:
            kind: parallel
            branches:
              a:
                start: done
                nodes: {done: {kind: end}}
            next: done
          done: {kind: end}
        """, "p.yaml");

    ParallelNode fan = (ParallelNode) parent.graph().node("fan");
    assertThat(fan.branches().get("a").definition().path("egress").path("allow").get(0).asText()).isEqualTo("*.github.com");
  }

  @Test
  void should_pin_the_parents_egress_into_a_path_child_that_names_none() throws Exception {
    Files.writeString(directory.resolve("child.yaml"), """
        apiVersion: agentflow/v1
        name: child
        version: 1
        start: done
        nodes: {done: {kind: end}}
        """);
    Path parent = directory.resolve("parent.yaml");
    Files.writeString(parent, """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        egress: {allow: [api.github.com]}
        start: child
        nodes:
          child: {kind: subgraph, graph: {path: ./child.yaml}, next: done}
          done: {kind: end}
        """);

    JsonNode canonical = JSON.readTree(loader.load(parent).canonicalJson());

    assertThat(canonical.at("/nodes/child/graph/pinned/egress/allow/0").asText()).isEqualTo("api.github.com");
  }

  @Test
  void should_refuse_a_path_child_whose_own_egress_is_wider_than_its_parents() throws Exception {
    Files.writeString(directory.resolve("child.yaml"), """
        apiVersion: agentflow/v1
        name: child
        version: 1
        egress: {allow: [api.github.com, 10.0.0.0/8]}
        start: done
        nodes: {done: {kind: end}}
        """);
    Path parent = directory.resolve("parent.yaml");
    Files.writeString(parent, """
        apiVersion: agentflow/v1
        name: parent
        version: 1
        egress: {allow: ["*.github.com", 10.1.0.0/16]}
        start: child
        nodes:
          child: {kind: subgraph, graph: {path: ./child.yaml}, next: done}
          done: {kind: end}
        """);

    DefinitionException e = catchThrowableOfType(DefinitionException.class, () -> loader.load(parent));

    assertThat(e.problems()).singleElement().satisfies(problem -> {
      assertThat(problem.file()).endsWith("child.yaml");
      assertThat(problem.message()).contains("'10.0.0.0/8' is outside the parent graph's egress.allow");
    });
  }
}
