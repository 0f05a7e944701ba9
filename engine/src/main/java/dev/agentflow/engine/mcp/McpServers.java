package dev.agentflow.engine.mcp;

import dev.agentflow.dsl.json.JsonMappers;
import dev.agentflow.dsl.McpToolNames;
import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.mcp.HttpMcpTransport;
import dev.agentflow.tools.mcp.McpConnection;
import dev.agentflow.tools.mcp.StdioMcpTransport;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.jackson2.JacksonMcpJsonMapper;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MCP servers of one worker process, each with its one {@link McpConnection}. {@link #start}
 * connects to every server (starting the stdio ones) before the worker polls, so a server that
 * cannot start is a start-up error naming its command and the tail of its stderr, not a failed run
 * later. {@link #close} (also run by a JVM shutdown hook) ends every session and stops each stdio
 * server with its whole process tree.
 */
public final class McpServers implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(McpServers.class);
  private static final McpJsonMapper JSON = new JacksonMcpJsonMapper(JsonMappers.json());

  /** One configured server and its connection. */
  public record Server(String name, McpServerConfig config, McpConnection connection) {}

  private final Map<String, Server> servers;
  private final Thread shutdownHook;

  private McpServers(Map<String, Server> servers) {
    this.servers = servers;
    this.shutdownHook = servers.isEmpty() ? null : new Thread(this::closeAll, "mcp-servers-shutdown");
    if (shutdownHook != null) {
      Runtime.getRuntime().addShutdownHook(shutdownHook);
    }
  }

  /** No servers. */
  public static McpServers none() {
    return new McpServers(Map.of());
  }

  /**
   * Connects to every server: starts each stdio server and lists each server's tools.
   *
   * @param environment the worker's environment: {@code ${env:NAME}} in a server's env or headers,
   *     and the base variables of a stdio server, come from it
   * @param egress the worker's egress: an HTTP server's URL must be allowed by its policy
   * @throws McpStartupException naming the server, its command or URL and why it failed (with the
   *     tail of its stderr); the servers started before it are stopped again
   */
  public static McpServers start(Map<String, McpServerConfig> configs, Function<String, String> environment, Egress egress) {
    Map<String, Server> started = new TreeMap<>();
    try {
      for (Map.Entry<String, McpServerConfig> entry : new TreeMap<>(configs).entrySet()) {
        Server server = connect(entry.getKey(), entry.getValue(), environment, egress);
        started.put(entry.getKey(), server);
        try {
          int tools = server.connection().tools().names().size();
          LOG.info("MCP server '{}' is up with {} tools", entry.getKey(), tools);
        } catch (ToolException e) {
          throw new McpStartupException(e.getMessage());
        }
      }
    } catch (RuntimeException e) {
      started.values().forEach(server -> server.connection().close());
      throw e;
    }
    return new McpServers(Map.copyOf(started));
  }

  private static Server connect(String name, McpServerConfig config, Function<String, String> environment, Egress egress) {
    List<String> secrets = new ArrayList<>();
    for (String variable : config.secretNames()) {
      String value = environment.apply(variable);
      if (value == null) {
        throw new McpStartupException("MCP server '" + name + "': its " + (config.isStdio() ? "env" : "headers")
            + " reference ${env:" + variable + "}, which is not set in the worker's environment");
      }
      secrets.add(value);
    }
    McpConnection.TransportFactory transports = config.isStdio()
        ? () -> new StdioMcpTransport(name, config.commandLine(), processEnvironment(config, environment), JSON)
        : () -> new HttpMcpTransport(name, config.url(), resolved(config.headers(), environment),
            egress.session(EgressNarrowing.NONE), config.callTimeout().plusSeconds(5), JSON);
    McpConnection connection =
        new McpConnection(name, transports, config.callTimeout(), config.handshakeTimeout(), secrets);
    return new Server(name, config, connection);
  }

  /** The base variables the worker has, then the server's own {@code env}, secrets resolved. */
  static Map<String, String> processEnvironment(McpServerConfig config, Function<String, String> environment) {
    Map<String, String> result = new LinkedHashMap<>();
    for (String name : McpServerConfig.BASE_ENVIRONMENT) {
      String value = environment.apply(name);
      if (value != null) {
        result.put(name, value);
      }
    }
    result.putAll(resolved(config.env(), environment));
    return result;
  }

  private static Map<String, String> resolved(Map<String, String> values, Function<String, String> environment) {
    Map<String, String> result = new LinkedHashMap<>();
    values.forEach((key, value) -> result.put(key, McpServerConfig.resolve(value, environment)));
    return result;
  }

  public Optional<Server> find(String name) {
    return Optional.ofNullable(servers.get(name));
  }

  /** Server names, sorted. */
  public Set<String> names() {
    return new TreeMap<>(servers).keySet();
  }

  /**
   * Every tool as {@code mcp.<server>/<tool>}, every server as {@code mcp.<server>/*}, and {@link
   * McpToolNames#SERVERS_KNOWN}: the names a definition loader checks MCP tool names against.
   *
   * @throws McpStartupException when a server's tools cannot be listed
   */
  public Set<String> toolNames() {
    Set<String> names = new java.util.TreeSet<>();
    names.add(McpToolNames.SERVERS_KNOWN);
    for (Server server : servers.values()) {
      names.add(McpToolNames.qualified(server.name(), McpToolNames.ALL));
      try {
        server.connection().tools().names().forEach(tool -> names.add(McpToolNames.qualified(server.name(), tool)));
      } catch (ToolException e) {
        throw new McpStartupException(e.getMessage());
      }
    }
    return names;
  }

  public boolean isEmpty() {
    return servers.isEmpty();
  }

  @Override
  public void close() {
    if (shutdownHook != null) {
      try {
        Runtime.getRuntime().removeShutdownHook(shutdownHook);
      } catch (IllegalStateException alreadyShuttingDown) {
        // the hook runs (or ran) closeAll itself
      }
    }
    closeAll();
  }

  private void closeAll() {
    servers.values().forEach(server -> server.connection().close());
  }

  /** A server that cannot start or be reached when the worker starts. */
  public static final class McpStartupException extends IllegalStateException {
    public McpStartupException(String message) {
      super(message);
    }
  }
}
