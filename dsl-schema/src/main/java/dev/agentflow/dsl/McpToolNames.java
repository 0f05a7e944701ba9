package dev.agentflow.dsl;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Tool names of MCP servers in definitions: {@code mcp.<server>/<tool>} for one tool, {@code
 * mcp.<server>/*} for every tool of the server. The servers are the worker config's {@code mcp:}
 * entries, so a definition can be checked against them only with a worker config ({@code validate
 * --config}); the engine records each server's tool list when a run first uses it.
 */
public final class McpToolNames {

  /** What every MCP tool name starts with. */
  public static final String PREFIX = "mcp.";
  /** The tool part that stands for every tool of a server. */
  public static final String ALL = "*";
  /**
   * In a loader's known tool names: the MCP servers are known, so every MCP name is checked against
   * the other {@code mcp.} entries ({@code mcp.<server>/*} for each server, {@code mcp.<server>/<tool>}
   * for each tool). Without it, MCP names are only checked for their form.
   */
  public static final String SERVERS_KNOWN = "mcp.*";

  private static final Pattern NAME = Pattern.compile("mcp\\.([a-z0-9][a-z0-9_-]*)/(\\S+)");

  private McpToolNames() {}

  /** A parsed name: {@code tool} is {@value #ALL} for a whole server. */
  public record Ref(String server, String tool) {
    public boolean wholeServer() {
      return ALL.equals(tool);
    }
  }

  public static boolean isMcp(String toolName) {
    return toolName != null && toolName.startsWith(PREFIX);
  }

  /** The server and tool of a well-formed MCP name; empty for any other name. */
  public static Optional<Ref> parse(String toolName) {
    if (toolName == null) {
      return Optional.empty();
    }
    Matcher matcher = NAME.matcher(toolName);
    return matcher.matches() ? Optional.of(new Ref(matcher.group(1), matcher.group(2))) : Optional.empty();
  }

  public static String qualified(String server, String tool) {
    return PREFIX + server + "/" + tool;
  }
}
