package dev.agentflow.cli;

import dev.agentflow.engine.registry.AliasRoute;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.registry.VersionRecord;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code agentflow versions NAME}: every deployed version with its sha256, when, and its aliases. */
@Command(name = "versions", mixinStandardHelpOptions = true,
    description = "List the deployed versions of a graph: version, sha256, deployed at, aliases.")
final class VersionsCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "graph name")
  String name;

  @Mixin RegistryOptions registryOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    GraphRegistry registry = registryOptions.open();
    List<VersionRecord> versions = registry.versions(name);
    Map<String, AliasRoute> aliases = registry.aliases(name);
    out.printf("%-8s %-64s  %-24s  %s%n", "VERSION", "SHA256", "DEPLOYED AT", "ALIASES");
    for (VersionRecord version : versions) {
      out.printf("%-8d %-64s  %-24s  %s%n", version.version(), version.sha256(), version.deployedAt(),
          String.join(", ", aliasesOf(version.version(), aliases)));
    }
    out.flush();
    return 0;
  }

  /** The aliases naming a version: {@code prod} when it has all of it, {@code prod (10%)} for a share. */
  private static List<String> aliasesOf(int version, Map<String, AliasRoute> aliases) {
    List<String> names = new ArrayList<>();
    aliases.forEach((alias, route) -> route.targets().stream().filter(t -> t.version() == version).findFirst()
        .ifPresent(t -> names.add(t.weight() == 100 ? alias : alias + " (" + t.weight() + "%)")));
    return names;
  }
}
