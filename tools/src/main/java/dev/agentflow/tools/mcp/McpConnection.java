package dev.agentflow.tools.mcp;

import dev.agentflow.tools.ToolException;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The worker's one client session with one MCP server (the official SDK's {@code McpAsyncClient}
 * over a {@link StdioMcpTransport} or {@link HttpMcpTransport}). Every tool call of every run on the
 * worker shares it: MCP sessions carry many requests at once. When the transport dies (the process
 * exited, the HTTP session expired) or a call fails on it, the session is dropped, calls in flight on
 * it fail at once, and the next call starts a new one. The tool list is kept per session, refreshed
 * when the server says it changed and when it is older than {@link #TOOLS_MAX_AGE}.
 */
public final class McpConnection implements AutoCloseable {

  /** How old the cached tool list may be before a call lists the tools again. */
  public static final Duration TOOLS_MAX_AGE = Duration.ofSeconds(30);
  /** Error type of a server that cannot be reached or started, or a session that broke (retryable). */
  public static final String UNAVAILABLE = "McpUnavailable";

  private static final Logger LOG = LoggerFactory.getLogger(McpConnection.class);

  /** Makes a new transport for each session. */
  @FunctionalInterface
  public interface TransportFactory {
    /** A transport that also implements {@link McpTransportInfo}. */
    McpClientTransport create() throws Exception;
  }

  private final String server;
  private final TransportFactory transports;
  private final Duration requestTimeout;
  private final Duration startupTimeout;
  private final List<String> secrets;
  private final AtomicInteger sessionsStarted = new AtomicInteger();
  private Session current;
  private boolean closed;

  /**
   * @param requestTimeout the longest a request may take (the server's call timeout)
   * @param startupTimeout the longest the start and initialize handshake may take
   * @param secrets values granted to the server, starred out of every message this class writes
   */
  public McpConnection(
      String server, TransportFactory transports, Duration requestTimeout, Duration startupTimeout, List<String> secrets) {
    this.server = server;
    this.transports = transports;
    this.requestTimeout = requestTimeout;
    this.startupTimeout = startupTimeout;
    this.secrets = List.copyOf(secrets);
  }

  public String server() {
    return server;
  }

  /** Sessions started so far (a new one after each failure). */
  public int sessionsStarted() {
    return sessionsStarted.get();
  }

  /** One session: its client, its transport, its tool list. */
  public static final class Session {
    private final McpAsyncClient client;
    private final McpTransportInfo transport;
    private volatile boolean dead;
    private volatile McpToolList tools;
    private volatile long listedAtNanos;

    private Session(McpAsyncClient client, McpTransportInfo transport) {
      this.client = client;
      this.transport = transport;
    }

    /** The transport, e.g. a {@link StdioMcpTransport} whose process tests look at. */
    public McpTransportInfo transport() {
      return transport;
    }

    private void setTools(McpToolList list) {
      tools = list;
      listedAtNanos = System.nanoTime();
    }
  }

  /** A call in flight and the session it went on. */
  public record Call(CompletableFuture<McpSchema.CallToolResult> result, Session session) {}

  /**
   * Starts a session (when none is alive) and returns its tool list.
   *
   * @throws ToolException a retryable {@value #UNAVAILABLE} saying what was started and why it failed
   */
  public McpToolList tools() throws ToolException {
    Session session = session();
    if (System.nanoTime() - session.listedAtNanos > TOOLS_MAX_AGE.toNanos()) {
      try {
        session.setTools(list(session));
      } catch (RuntimeException e) {
        discard(session);
        throw unavailable("listing its tools failed", session, e);
      }
    }
    return session.tools;
  }

  /** Sends a {@code tools/call} on the current session (starting one if needed). */
  public Call call(String tool, Map<String, Object> arguments) throws ToolException {
    Session session = session();
    CompletableFuture<McpSchema.CallToolResult> result =
        session.client.callTool(new McpSchema.CallToolRequest(tool, arguments)).toFuture();
    return new Call(result, session);
  }

  /** Drops {@code session} after a failure on it, if it is still the current one; the next call starts a new one. */
  public void discard(Session session) {
    synchronized (this) {
      if (current == session) {
        current = null;
      }
    }
    kill(session);
  }

  /** The live session, started when there is none. */
  public Session session() throws ToolException {
    synchronized (this) {
      if (closed) {
        throw ToolException.nonRetryable(UNAVAILABLE, "MCP server '" + server + "': the worker is shutting down", null);
      }
      if (current != null && !current.dead) {
        return current;
      }
      Session previous = current;
      current = null;
      if (previous != null) {
        kill(previous);
      }
      current = start();
      return current;
    }
  }

  private Session start() throws ToolException {
    McpClientTransport transport;
    try {
      transport = transports.create();
    } catch (Exception e) {
      throw ToolException.retryable(UNAVAILABLE, redact("MCP server '" + server + "' cannot be reached: " + e.getMessage()), null);
    }
    McpTransportInfo info = (McpTransportInfo) transport;
    Session[] holder = new Session[1];
    McpAsyncClient client = McpClient.async(transport)
        .requestTimeout(requestTimeout)
        .initializationTimeout(startupTimeout)
        .clientInfo(new McpSchema.Implementation("agentflow", "0.1.0"))
        .toolsChangeConsumer(tools -> Mono.fromRunnable(() -> {
          if (holder[0] != null) {
            holder[0].setTools(McpToolList.of(server, tools));
          }
        }))
        .build();
    Session session = new Session(client, info);
    holder[0] = session;
    info.onClosed(() -> {
      if (!session.dead) {
        session.dead = true;
        LOG.info("MCP server '{}' ({}): session ended{}", server, info.describe(), suffix(redact(info.diagnostics())));
        client.close(); // calls in flight on it fail now, not at their timeout
      }
    });
    sessionsStarted.incrementAndGet();
    try {
      client.initialize().block(startupTimeout.plusSeconds(1));
      session.setTools(list(session));
      return session;
    } catch (RuntimeException e) {
      if (info instanceof StdioMcpTransport stdio) {
        stdio.awaitStderr(Duration.ofMillis(500));
      }
      kill(session);
      String reason = timedOut(e)
          ? "did not answer the initialize handshake within " + startupTimeout.toMillis() + " ms"
          : "failed to start: " + rootMessage(e);
      throw unavailable(reason, session, null);
    }
  }

  private McpToolList list(Session session) {
    McpSchema.ListToolsResult result = session.client.listTools().block(requestTimeout.plusSeconds(1));
    return McpToolList.of(server, result == null ? List.of() : result.tools());
  }

  private ToolException unavailable(String reason, Session session, Throwable cause) {
    String diagnostics = session.transport.diagnostics();
    String message = "MCP server '" + server + "' (" + session.transport.describe() + ") " + reason
        + (cause == null ? "" : ": " + rootMessage(cause)) + suffix(diagnostics);
    return ToolException.retryable(UNAVAILABLE, redact(message), null);
  }

  private static String suffix(String diagnostics) {
    return diagnostics == null || diagnostics.isEmpty() ? "" : "; " + diagnostics;
  }

  private static boolean timedOut(Throwable e) {
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause instanceof TimeoutException) {
        return true;
      }
      if (cause.getCause() == cause) {
        break;
      }
    }
    return false;
  }

  /** The innermost message of a failure chain (the SDK wraps the cause that says what happened). */
  public static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String message = root.getMessage();
    return message == null || message.isBlank() ? root.getClass().getSimpleName() : message;
  }

  /** {@code text} with every secret granted to this server replaced by {@code ***}. */
  public String redact(String text) {
    String result = text;
    for (String secret : secrets) {
      if (secret != null && secret.length() >= 4) {
        result = result.replace(secret, "***");
      }
    }
    return result;
  }

  private static void kill(Session session) {
    session.dead = true;
    try {
      session.client.close();
    } catch (RuntimeException e) {
      LOG.debug("closing an MCP session failed", e);
    }
  }

  /** Ends the session and stops a stdio server with its whole process tree. */
  @Override
  public void close() {
    Session last;
    synchronized (this) {
      closed = true;
      last = current;
      current = null;
    }
    if (last != null) {
      kill(last);
    }
  }
}
