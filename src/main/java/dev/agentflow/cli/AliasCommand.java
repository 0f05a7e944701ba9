package dev.agentflow.cli;

import dev.agentflow.engine.registry.AliasRoute;
import dev.agentflow.engine.registry.GraphRegistry;
import java.io.PrintWriter;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow alias NAME ALIAS=VERSION} or {@code ALIAS=7:90,8:10}: points an alias at one
 * version or splits new runs between versions by weight. One atomic write; pointing it back is the
 * rollback. Runs already started keep the version they resolved.
 */
@Command(name = "alias", mixinStandardHelpOptions = true,
    description = "Point an alias of a graph at a version (ALIAS=7) or split it by weight (ALIAS=7:90,8:10).")
final class AliasCommand implements Callable<Integer> {

  @Parameters(index = "0", paramLabel = "NAME", description = "graph name")
  String name;

  @Parameters(index = "1", paramLabel = "ALIAS=ROUTE", description = "e.g. prod=7 or prod=7:90,8:10")
  String assignment;

  @Mixin RegistryOptions registryOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    int equals = assignment.indexOf('=');
    if (equals <= 0) {
      throw CliException.usage("'" + assignment + "' is not ALIAS=VERSION or ALIAS=VERSION:PERCENT,… (e.g. prod=7:90,8:10)");
    }
    String alias = assignment.substring(0, equals).trim();
    AliasRoute route;
    try {
      route = AliasRoute.parse(assignment.substring(equals + 1));
    } catch (IllegalArgumentException e) {
      throw CliException.usage(alias + ": " + e.getMessage());
    }
    GraphRegistry registry = registryOptions.open();
    Optional<AliasRoute> before = registry.alias(name, alias, route);
    out.printf("✓ %s@%s → %s%s%n", name, alias, route, before.map(r -> " (was " + r + ")").orElse(" (new alias)"));
    out.flush();
    return 0;
  }
}
