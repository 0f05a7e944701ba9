package dev.agentflow.cli;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.tools.ToolRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agentflow validate}: ✓ or ✘ per file, and every problem with its file:line:column. */
@Command(name = "validate", description = "Validate definitions; exit 1 when any has a problem.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files (YAML or JSON)")
  List<Path> files;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    DefinitionLoader loader = new DefinitionLoader(ToolRegistry.loadFromClasspath().names());
    int failed = 0;
    for (Path file : files) {
      try {
        LoadedDefinition loaded = loader.load(file);
        out.printf("✓ %s (%s v%d, sha256 %s)%n", file, loaded.graph().name(), loaded.graph().version(),
            loaded.sha256().substring(0, 12));
      } catch (DefinitionException e) {
        failed++;
        out.printf("✘ %s%n", file);
        for (Problem problem : e.problems()) {
          out.printf("  %s%n", problem);
        }
      }
    }
    out.flush();
    return failed == 0 ? 0 : 1;
  }
}
