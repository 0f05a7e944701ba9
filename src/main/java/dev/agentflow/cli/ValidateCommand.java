package dev.agentflow.cli;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.tools.ToolRegistry;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code agentflow validate}: ✓ or ✘ per file, and every problem with its file:line:column. */
@Command(name = "validate", description = "Validate definitions (and, with --config, check them against a worker config); exit 1 when any has a problem.")
final class ValidateCommand implements Callable<Integer> {

  @Parameters(arity = "1..*", paramLabel = "FILE", description = "definition files (YAML or JSON)")
  List<Path> files;

  @Option(names = "--config", paramLabel = "FILE",
      description = "also check each definition against this worker config: secrets it names, model endpoints it writes,"
          + " MCP tools it names (the config's MCP servers are started to list their tools)")
  Path configFile;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    Set<String> tools = new TreeSet<>(ToolRegistry.loadFromClasspath().names());
    WorkerPolicy policy = null;
    if (configFile != null) {
      AgentflowConfig settings = ConfigLoader.load(configFile, System.getenv());
      policy = WorkerPolicy.from(settings, System::getenv);
      try (McpServers mcp = McpServers.start(settings.mcp(), System::getenv, policy.egress())) {
        tools.addAll(mcp.toolNames());
      } catch (McpServers.McpStartupException e) {
        out.printf("✘ %s: %s%n", configFile, e.getMessage());
        out.flush();
        return 1;
      }
    }
    DefinitionLoader loader = new DefinitionLoader(tools);
    int failed = 0;
    for (Path file : files) {
      try {
        LoadedDefinition loaded = loader.load(file);
        List<PolicyViolation> violations = policy == null ? List.of() : PolicyReport.check(policy, true, loaded);
        if (!violations.isEmpty()) {
          failed++;
          out.printf("✘ %s: the worker config %s does not allow what it asks%n", file, configFile);
          violations.forEach(violation -> out.printf("  %s%n", violation));
          continue;
        }
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
