package dev.agentflow.tools.mcp;

import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;

/**
 * The stdio transport of an MCP server the worker starts: one JSON-RPC message per line on the
 * process's stdin and stdout. Written here rather than taken from the SDK because the worker needs
 * what the SDK's transport keeps private: the process (to stop its whole tree), its exit and the
 * tail of its stderr (for a start-up error that says why), and an environment built from nothing
 * (the SDK's starts from the worker's own, which holds every secret the worker has).
 *
 * <p>The process gets exactly {@code environment}: the caller puts in the few variables a program
 * needs to run (PATH, HOME, …) and the secrets the worker config grants the server, nothing else.
 */
public final class StdioMcpTransport implements McpClientTransport, McpTransportInfo {

  private static final Logger LOG = LoggerFactory.getLogger(StdioMcpTransport.class);
  private static final int STDERR_LINES = 20;
  private static final int MAX_LINE_CHARS = 16 * 1024 * 1024;
  /** How long a stopped server may take to exit on SIGTERM before it is killed. */
  public static final Duration STOP_GRACE = Duration.ofSeconds(3);

  private final String server;
  private final List<String> command;
  private final Map<String, String> environment;
  private final McpJsonMapper json;
  private final Deque<String> stderrTail = new ArrayDeque<>();
  private final List<Runnable> closedListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private final CountDownLatch stderrDone = new CountDownLatch(1);
  private volatile Process process;
  private volatile String startFailure;
  private volatile boolean stopping;

  /**
   * @param server the server's name in the worker config (thread names, logs)
   * @param command the program and its arguments
   * @param environment the whole environment of the process
   */
  public StdioMcpTransport(String server, List<String> command, Map<String, String> environment, McpJsonMapper json) {
    this.server = server;
    this.command = List.copyOf(command);
    this.environment = Map.copyOf(environment);
    this.json = json;
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    return Mono.fromRunnable(() -> start(handler));
  }

  private synchronized void start(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    if (process != null || stopping) {
      return;
    }
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().clear();
    builder.environment().putAll(environment);
    try {
      process = builder.start();
    } catch (IOException e) {
      startFailure = "cannot start it: " + e.getMessage();
      markClosed();
      throw new IllegalStateException("MCP server '" + server + "' (" + describe() + ") " + startFailure, e);
    }
    daemon("mcp-" + server + "-stdout", () -> readMessages(handler));
    daemon("mcp-" + server + "-stderr", this::readStderr);
  }

  private static void daemon(String name, Runnable body) {
    Thread thread = new Thread(body, name);
    thread.setDaemon(true);
    thread.start();
  }

  private void readMessages(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    Process current = process;
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(current.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        if (line.isBlank()) {
          continue;
        }
        if (line.length() > MAX_LINE_CHARS) {
          LOG.warn("MCP server '{}' sent a message of {} characters; dropped (limit {})", server, line.length(), MAX_LINE_CHARS);
          continue;
        }
        McpSchema.JSONRPCMessage message;
        try {
          message = McpSchema.deserializeJsonRpcMessage(json, line);
        } catch (IOException | IllegalArgumentException e) {
          LOG.warn("MCP server '{}' wrote a line that is not a JSON-RPC message: {}", server, abbreviate(line));
          continue;
        }
        handler.apply(Mono.just(message)).subscribe(
            ignored -> {}, error -> LOG.debug("MCP server '{}': handling a message failed", server, error));
      }
    } catch (IOException e) {
      if (!stopping) {
        LOG.debug("MCP server '{}': reading its stdout failed", server, e);
      }
    } finally {
      markClosed();
    }
  }

  private void readStderr() {
    try (BufferedReader reader =
        new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = reader.readLine()) != null) {
        LOG.debug("MCP server '{}' stderr: {}", server, line);
        synchronized (stderrTail) {
          stderrTail.addLast(abbreviate(line));
          if (stderrTail.size() > STDERR_LINES) {
            stderrTail.removeFirst();
          }
        }
      }
    } catch (IOException e) {
      // the process is gone; its stderr tail so far is kept
    } finally {
      stderrDone.countDown();
    }
  }

  /**
   * Waits up to {@code timeout} for a process that has exited to have its stderr read to the end,
   * so a start-up error shows its last lines.
   */
  public void awaitStderr(Duration timeout) {
    Process current = process;
    if (current == null) {
      return;
    }
    try {
      if (!current.isAlive()) {
        stderrDone.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private void markClosed() {
    if (closed.compareAndSet(false, true)) {
      closedListeners.forEach(Runnable::run);
    }
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.fromRunnable(() -> write(message));
  }

  private void write(McpSchema.JSONRPCMessage message) {
    Process current = process;
    if (current == null || closed.get()) {
      throw new IllegalStateException("MCP server '" + server + "' is not running"
          + (startFailure != null ? ": " + startFailure : "") + diagnosticsSuffix());
    }
    try {
      String line = json.writeValueAsString(message).replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n");
      OutputStream stdin = current.getOutputStream();
      synchronized (stdin) {
        stdin.write(line.getBytes(StandardCharsets.UTF_8));
        stdin.write('\n');
        stdin.flush();
      }
    } catch (IOException e) {
      markClosed();
      throw new IllegalStateException("MCP server '" + server + "': writing to its stdin failed: " + e.getMessage()
          + diagnosticsSuffix(), e);
    }
  }

  private String diagnosticsSuffix() {
    String diagnostics = diagnostics();
    return diagnostics.isEmpty() ? "" : " (" + diagnostics + ")";
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.fromRunnable(this::stop);
  }

  @Override
  public void close() {
    stop();
  }

  /** Closes stdin (a well-behaved server exits), then stops the process tree. */
  public void stop() {
    Process current;
    synchronized (this) {
      stopping = true;
      current = process;
    }
    if (current != null) {
      try {
        current.getOutputStream().close();
      } catch (IOException e) {
        // already closed
      }
      ProcessTree.stop(current.toHandle(), STOP_GRACE);
    }
    markClosed();
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return json.convertValue(data, typeRef);
  }

  @Override
  public String describe() {
    return "`" + String.join(" ", command) + "`";
  }

  /** The process, while it runs (tests check its tree is gone after a stop). */
  public ProcessHandle processHandle() {
    Process current = process;
    return current == null ? null : current.toHandle();
  }

  @Override
  public String diagnostics() {
    List<String> parts = new ArrayList<>();
    Process current = process;
    if (startFailure != null) {
      parts.add(startFailure);
    }
    if (current != null && !current.isAlive()) {
      parts.add("exited with code " + current.exitValue());
    }
    synchronized (stderrTail) {
      if (!stderrTail.isEmpty()) {
        parts.add("stderr tail:\n    " + String.join("\n    ", stderrTail));
      }
    }
    return String.join("; ", parts);
  }

  @Override
  public void onClosed(Runnable listener) {
    closedListeners.add(listener);
    if (closed.get()) {
      listener.run();
    }
  }

  private static String abbreviate(String line) {
    return line.length() <= 500 ? line : line.substring(0, 500) + "…";
  }
}
