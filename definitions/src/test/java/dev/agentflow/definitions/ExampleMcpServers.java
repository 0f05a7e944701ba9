package dev.agentflow.definitions;

import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.engine.mcp.McpTestServers;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The worker config an example runs with in tests: {@code config/<example>.agentflow.yaml} when it
 * exists, else the defaults. Its MCP servers are written for users ({@code npx -y <package>@<version>
 * …}, paths relative to the repository); here each runs from the executable {@code .ci/run}
 * installed for that package, with {@code definitions/…} arguments resolved against the repository,
 * and the example is skipped when the variable naming the executable is not set.
 */
final class ExampleMcpServers {

  private static final Map<String, String> PACKAGES = Map.of(
      "@modelcontextprotocol/server-filesystem", McpTestServers.FILESYSTEM,
      "@modelcontextprotocol/server-everything", McpTestServers.EVERYTHING);

  private ExampleMcpServers() {}

  static AgentflowConfig settingsFor(Path definitions, String example) {
    Path file = definitions.resolve("config/" + example + ".agentflow.yaml");
    if (!Files.exists(file)) {
      return AgentflowConfig.defaults();
    }
    AgentflowConfig settings = ConfigLoader.load(file, Map.of());
    Map<String, McpServerConfig> local = new LinkedHashMap<>();
    settings.mcp().forEach((name, server) -> local.put(name, local(server, definitions.getParent())));
    return settings.withMcp(local);
  }

  private static McpServerConfig local(McpServerConfig server, Path repository) {
    if (!server.isStdio() || !server.command().equals("npx")) {
      throw new IllegalArgumentException("example MCP servers are npx packages; got " + server.commandLine());
    }
    List<String> args = new ArrayList<>(server.args());
    args.remove("-y");
    String spec = args.remove(0);
    String pkg = spec.substring(0, spec.lastIndexOf('@') > 0 ? spec.lastIndexOf('@') : spec.length());
    String variable = PACKAGES.get(pkg);
    if (variable == null) {
      throw new IllegalArgumentException("no test executable is known for the npm package " + pkg);
    }
    String executable = McpTestServers.executable(variable);
    List<String> resolved = args.stream()
        .map(arg -> arg.startsWith("definitions/") ? repository.resolve(arg).toString() : arg)
        .toList();
    return new McpServerConfig(executable, resolved, server.env(), null, null, server.timeout(),
        server.startupTimeout(), server.retry(), server.maxConcurrent(), server.sideEffects());
  }
}
