package dev.agentflow.cli;

import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigException;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.tools.ToolRegistry;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code agentflow validate}: ✓ or ✘ per file, and every problem with its file:line:column. Knows
 * the project's file kinds ({@link ProjectFiles}); a directory means the YAML and JSON files
 * directly in it. Every file is validated, whatever happened to the one before.
 */
@Command(name = "validate", mixinStandardHelpOptions = true,
    description = "Validate definitions and the files beside them (offline scripts, inputs, expected outputs);"
        + " with --config, also check each definition against a worker config; exit 1 when any has a problem.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE|DIR",
      description = "definition files, *.offline.yaml scripts, *.input.json / *.expected.json / *.signals.json files,"
          + " or directories of them")
  List<Path> paths;

  @Option(names = "--max-bytes", defaultValue = "" + ReadLimits.DEFAULT_MAX_BYTES, paramLabel = "BYTES",
      description = "largest file read (default: ${DEFAULT-VALUE})")
  int maxBytes;

  @Option(names = "--config", paramLabel = "FILE",
      description = "also check each definition against this worker config: secrets it names, model endpoints it writes,"
          + " MCP tools it names (the config's MCP servers are started to list their tools)")
  Path configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    if (maxBytes < 1) {
      throw CliException.usage("--max-bytes must be at least 1");
    }
    PrintWriter out = spec.commandLine().getOut();
    Set<String> tools = new TreeSet<>(ToolRegistry.loadFromClasspath().names());
    WorkerPolicy policy = null;
    if (configFile != null) {
      AgentflowConfig settings = loadConfig();
      policy = WorkerPolicy.from(settings, System::getenv);
      try (McpServers mcp = McpServers.start(settings.mcp(), System::getenv, policy.egress())) {
        tools.addAll(mcp.toolNames());
      } catch (McpServers.McpStartupException e) {
        out.printf("✘ %s: %s%n", configFile, e.getMessage());
        out.flush();
        return 1;
      }
    }
    ProjectFiles project = new ProjectFiles(tools, ReadLimits.DEFAULTS.withMaxBytes(maxBytes), policy);
    int failed = 0;
    for (Path file : files(out)) {
      ProjectFiles.Result result = checkSafely(project, file);
      if (result.ok()) {
        out.printf("✓ %s (%s)%n", file, result.detail());
      } else {
        failed++;
        out.printf("✘ %s%n", file);
        for (Problem problem : result.problems()) {
          out.printf("  %s%n", problem);
        }
      }
      out.flush();
    }
    return failed == 0 && !missing ? 0 : 1;
  }

  private boolean missing;

  private AgentflowConfig loadConfig() {
    OptionFiles.requireFile("--config", configFile);
    try {
      return ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      throw CliException.failed("the engine config cannot be used: " + e.getMessage());
    }
  }

  /** The files named, directories expanded to the project files directly in them, in order. */
  private List<Path> files(PrintWriter out) {
    List<Path> files = new ArrayList<>();
    for (Path path : paths) {
      if (Files.isDirectory(path)) {
        try (Stream<Path> listing = Files.list(path)) {
          List<Path> found = listing.filter(ProjectFiles::isProjectFile).sorted().toList();
          if (found.isEmpty()) {
            out.printf("✘ %s: no YAML or JSON files in this directory%n", path);
            missing = true;
          }
          files.addAll(found);
        } catch (IOException e) {
          out.printf("✘ %s: cannot list the directory: %s%n", path, e.getMessage());
          missing = true;
        }
      } else {
        files.add(path);
      }
    }
    return files;
  }

  /** A check that fails for a reason of its own is one file's problem, not the end of validation. */
  private static ProjectFiles.Result checkSafely(ProjectFiles project, Path file) {
    try {
      return project.check(file);
    } catch (RuntimeException | StackOverflowError e) {
      return new ProjectFiles.Result(file, ProjectFiles.kindOf(file), "", List.of(new Problem(file.toString(), 0, 0, "",
          "internal error while validating this file (please report it): " + Failures.chain(e).replace("\n", " "))));
    }
  }
}
