package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.Node;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Every node kind of the sealed model has an executor, a schema entry and an example definition. */
class NodeKindCoverageTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void should_have_an_executor_for_every_node_kind() {
    NodeExecutors executors = new NodeExecutors();
    for (Class<?> kind : Node.class.getPermittedSubclasses()) {
      assertThat(executors.supports(kind.asSubclass(Node.class))).as(kind.getSimpleName()).isTrue();
    }
  }

  @Test
  void should_list_every_node_kind_in_the_schema_and_use_it_in_an_example() throws IOException {
    String schema = Files.readString(ROOT.resolve("dsl-schema/agent-graph.schema.json"));
    List<String> examples;
    try (Stream<Path> files = Files.list(ROOT.resolve("definitions"))) {
      examples = files.filter(f -> f.toString().endsWith(".yaml") && !f.toString().endsWith(".offline.yaml"))
          .map(NodeKindCoverageTest::read).toList();
    }
    JsonNode schemaJson = new ObjectMapper().readTree(schema);
    for (Class<?> kind : Node.class.getPermittedSubclasses()) {
      String name = kindName(kind);
      assertThat(schemaJson.toString()).as("schema mentions kind " + name).contains("\"" + name + "\"");
      assertThat(examples).as("an example uses kind " + name)
          .anySatisfy(text -> assertThat(text).containsPattern("kind:\\s*" + name + "\\b"));
    }
  }

  private static String kindName(Class<?> kind) {
    String simple = kind.getSimpleName();
    return simple.substring(0, 1).toLowerCase() + simple.substring(1, simple.length() - "Node".length());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
