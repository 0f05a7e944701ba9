package dev.agentflow.cli;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.registry.AliasRoute;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.registry.RegistryException;
import dev.agentflow.tools.ToolRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow deploy FILE…}: validates every file as {@code validate} does and, only when all
 * of them are valid, stores each as its name and version in the registry (child graphs by path
 * pinned into it), printing {@code name version sha256}. A file whose version is already deployed
 * with other content is refused with the diff, before anything is stored.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Validate definitions and store them in the graph registry by name and version.")
final class DeployCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files (YAML or JSON)")
  List<Path> files;

  @Option(names = "--alias", paramLabel = "ALIAS", description = "also point this alias of each graph at the version deployed")
  String alias;

  @Option(names = "--max-bytes", defaultValue = "" + ReadLimits.DEFAULT_MAX_BYTES, paramLabel = "BYTES",
      description = "largest definition file read (default: ${DEFAULT-VALUE})")
  int maxBytes;

  @Mixin RegistryOptions registryOptions;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    if (maxBytes < 1) {
      throw CliException.usage("--max-bytes must be at least 1");
    }
    for (Path file : files) {
      OptionFiles.requireFile("FILE", file);
    }
    if (alias != null) {
      try {
        GraphRegistry.checkAliasName(alias);
      } catch (RegistryException e) {
        throw CliException.usage("--alias: " + e.getMessage());
      }
    }
    DefinitionLoader loader = new DefinitionLoader(ToolRegistry.loadFromClasspath().names(), ReadLimits.DEFAULTS.withMaxBytes(maxBytes));
    List<LoadedDefinition> loaded = new ArrayList<>();
    int invalid = 0;
    for (Path file : files) {
      try {
        loaded.add(loader.load(file));
      } catch (DefinitionException e) {
        invalid++;
        out.printf("✘ %s%n", file);
        for (Problem problem : e.problems()) {
          out.printf("  %s%n", problem);
        }
      }
    }
    if (invalid > 0) {
      out.printf("✘ nothing deployed: %d of %d file(s) have problems%n", invalid, files.size());
      out.flush();
      return CliException.FAILED;
    }
    GraphRegistry registry = registryOptions.open();
    for (LoadedDefinition definition : loaded) {
      registry.check(definition);
    }
    for (LoadedDefinition definition : loaded) {
      GraphRegistry.Deployed deployed = registry.deploy(definition);
      out.printf("%s %d %s%s%n", deployed.version().name(), deployed.version().version(), deployed.version().sha256(),
          deployed.created() ? "" : "  (already deployed, unchanged)");
      if (alias != null) {
        var before = registry.alias(deployed.version().name(), alias, AliasRoute.single(deployed.version().version()));
        out.printf("  %s@%s → %d%s%n", deployed.version().name(), alias, deployed.version().version(),
            before.map(route -> " (was " + route + ")").orElse(""));
      }
    }
    out.flush();
    return 0;
  }
}
