package dev.agentflow.cli.picture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The examples' pictures in the docs are the ones the definitions give today. */
class DocsPicturesTest {

  private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

  @Test
  void should_find_the_readmes_and_the_svg_of_every_example_up_to_date() {
    assertThat(new DocsPictures(ROOT).outOfDate())
        .as("run ./agentflow pictures and commit what it writes")
        .isEmpty();
  }

  @Test
  void should_show_every_example_in_both_readmes() throws IOException {
    try (var examples = ExamplePicturesTest.examples()) {
      String readme = Files.readString(ROOT.resolve("README.md"));
      String reference = Files.readString(ROOT.resolve("dsl-schema/README.md"));
      examples.forEach(example -> {
        String name = example.getFileName().toString().replaceFirst("\\.yaml$", "");
        assertThat(readme).contains("![" + name + "](docs/pictures/" + name + ".svg)");
        assertThat(ROOT.resolve("docs/pictures/" + name + ".svg")).exists();
        assertThat(reference).contains("**" + name + "** (`definitions/" + name + ".yaml`)\n\n```mermaid\n---\ntitle: " + name + " v");
      });
    }
  }

  @Test
  void should_report_a_picture_that_no_longer_matches_its_definition(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("definitions"));
    Files.createDirectories(root.resolve("dsl-schema"));
    Files.copy(ROOT.resolve("definitions/tool-agent.yaml"), root.resolve("definitions/tool-agent.yaml"));
    String section = DocsPictures.BEGIN + "\n" + DocsPictures.END + "\n";
    Files.writeString(root.resolve("README.md"), "# r\n" + section);
    Files.writeString(root.resolve("dsl-schema/README.md"), "# d\n" + section);
    DocsPictures pictures = new DocsPictures(root);
    pictures.write();
    assertThat(pictures.outOfDate()).isEmpty();

    Files.writeString(root.resolve("definitions/tool-agent.yaml"),
        Files.readString(root.resolve("definitions/tool-agent.yaml")).replace("maxIterations: 6", "maxIterations: 7"));

    // the README only links the SVG; the reference holds the Mermaid text
    assertThat(pictures.outOfDate()).containsExactlyInAnyOrder(root.resolve("docs/pictures/tool-agent.svg"),
        root.resolve("dsl-schema/README.md"));
  }

  @Test
  void should_refuse_a_readme_without_the_pictures_section(@TempDir Path root) throws IOException {
    Files.createDirectories(root.resolve("definitions"));
    Files.createDirectories(root.resolve("dsl-schema"));
    Files.writeString(root.resolve("README.md"), "# no section\n");
    Files.writeString(root.resolve("dsl-schema/README.md"), "# no section\n");

    assertThatThrownBy(() -> new DocsPictures(root).outOfDate())
        .hasMessageContaining("README.md has no section for the example pictures");
  }
}
