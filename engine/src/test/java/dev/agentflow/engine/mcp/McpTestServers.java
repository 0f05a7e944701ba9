package dev.agentflow.engine.mcp;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentflow.engine.config.McpServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The real MCP servers the integration tests run, found through the variables {@code .ci/run} sets
 * after installing their npm packages outside the repository: {@value #EVERYTHING} and {@value
 * #FILESYSTEM} hold the paths of their executables. A test that needs one is skipped, saying which
 * variable is missing, when it is not set.
 */
public final class McpTestServers {

  public static final String EVERYTHING = "AGENTFLOW_IT_MCP_EVERYTHING";
  public static final String FILESYSTEM = "AGENTFLOW_IT_MCP_FILESYSTEM";

  private McpTestServers() {}

  /** The executable a variable names; skips the test when it is not set or not there. */
  public static String executable(String variable) {
    String path = System.getenv(variable);
    assumeTrue(path != null && !path.isBlank() && Files.isExecutable(Path.of(path)),
        variable + " is not set to an MCP server executable: no real MCP server to test against"
            + " (.ci/run installs @modelcontextprotocol/server-everything and server-filesystem with npm and sets it)");
    return path;
  }

  /** {@code @modelcontextprotocol/server-everything} over stdio. */
  public static McpServerConfig everything() {
    return McpServerConfig.stdio(executable(EVERYTHING), List.of("stdio"), Map.of());
  }

  /** {@code @modelcontextprotocol/server-filesystem} serving {@code root}. */
  public static McpServerConfig filesystem(Path root) {
    return McpServerConfig.stdio(executable(FILESYSTEM), List.of(root.toString()), Map.of());
  }
}
