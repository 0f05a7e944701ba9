package dev.agentflow.dsl;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every example in the repository's {@code definitions/} folder (not the {@code *.offline.yaml}
 * variants, which the engine's tests cover) loads against the built-in tools, and its canonical
 * form loads again with no file access.
 */
class ExampleDefinitionsTest {

  static final Set<String> BUILT_IN_TOOLS = Set.of("http_get", "calculator", "json_query", "echo");

  private static final Path DEFINITIONS = Path.of("..", "definitions");

  private final DefinitionLoader loader = new DefinitionLoader(BUILT_IN_TOOLS);

  @TestFactory
  Stream<DynamicTest> every_example_definition_loads_with_the_built_in_tools() throws IOException {
    return examples().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> assertThatCode(() -> loader.load(file)).doesNotThrowAnyException()));
  }

  @TestFactory
  Stream<DynamicTest> every_example_reloads_from_its_canonical_json_to_the_same_sha256()
      throws IOException {
    return examples().stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(),
        () -> {
          LoadedDefinition loaded = loader.load(file);
          LoadedDefinition pinned = loader.load(loaded.canonicalJson(), "<pinned>");
          assertThat(pinned.sha256()).isEqualTo(loaded.sha256());
          assertThat(pinned.graph()).isEqualTo(loaded.graph());
        }));
  }

  private static List<Path> examples() throws IOException {
    try (Stream<Path> listing = Files.list(DEFINITIONS)) {
      List<Path> files = listing
          .filter(path -> path.getFileName().toString().endsWith(".yaml"))
          .filter(path -> !path.getFileName().toString().endsWith(".offline.yaml"))
          .sorted()
          .toList();
      assertThat(files).as("example definitions in %s", DEFINITIONS.toAbsolutePath()).isNotEmpty();
      return files;
    }
  }
}
