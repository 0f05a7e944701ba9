package dev.agentflow.cli;

import dev.agentflow.cli.picture.DocsPictures;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow pictures}: draws every example of {@code definitions/} into the docs ({@code
 * docs/pictures/*.svg} shown by the README, Mermaid in {@code dsl-schema/README.md}), so the
 * pictures people read are the ones the definitions give. {@code --check} changes nothing and fails
 * when one is out of date.
 */
@Command(name = "pictures", mixinStandardHelpOptions = true,
    description = "Draw the examples into README.md, dsl-schema/README.md and docs/pictures (a repository task).")
final class PicturesCommand implements Callable<Integer> {

  @Option(names = "--root", defaultValue = ".", paramLabel = "DIR", description = "the repository's root (default: .)")
  Path root;

  @Option(names = "--check", description = "write nothing; fail when a picture is out of date")
  boolean check;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PrintWriter out = spec.commandLine().getOut();
    if (!Files.isDirectory(root.resolve("definitions"))) {
      throw CliException.usage(root.toAbsolutePath().normalize() + " has no definitions/ (pass --root the repository)");
    }
    DocsPictures pictures = new DocsPictures(root);
    List<Path> changed;
    try {
      changed = check ? pictures.outOfDate() : pictures.write();
    } catch (IllegalStateException e) {
      throw CliException.failed(e.getMessage());
    }
    if (check && !changed.isEmpty()) {
      throw CliException.failed("out of date (run ./agentflow pictures): "
          + changed.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
    }
    out.println(changed.isEmpty() ? "✓ the example pictures are up to date"
        : "✓ wrote " + changed.stream().map(Path::toString).reduce((a, b) -> a + ", " + b).orElse(""));
    out.flush();
    return 0;
  }
}
