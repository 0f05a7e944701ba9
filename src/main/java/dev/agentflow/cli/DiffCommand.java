package dev.agentflow.cli;

import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentflow diff NAME A B}: a unified diff of two versions' canonical YAML. */
@Command(name = "diff", mixinStandardHelpOptions = true,
    description = "Show what changed between two deployed versions of a graph (unified diff of the canonical YAML).")
final class DiffCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "graph name")
  String name;

  @Parameters(index = "1", paramLabel = "A", description = "the older version")
  int from;

  @Parameters(index = "2", paramLabel = "B", description = "the newer version")
  int to;

  @Mixin RegistryOptions registryOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    String diff = registryOptions.open().diff(name, from, to);
    out.print(diff.isEmpty() ? "versions " + from + " and " + to + " of '" + name + "' have the same content\n" : diff);
    out.flush();
    return 0;
  }
}
