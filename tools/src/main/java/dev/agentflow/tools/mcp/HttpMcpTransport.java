package dev.agentflow.tools.mcp;

import dev.agentflow.tools.egress.EgressRefusedException;
import dev.agentflow.tools.egress.EgressSession;
import dev.agentflow.tools.egress.InterruptibleCall;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.json.TypeRef;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpTransportSessionNotFoundException;
import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.MediaType;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;
import okio.BufferedSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * The streamable HTTP transport of an MCP server at a URL, on the worker's egress client: the URL
 * is checked against the egress policy, the connection goes to the address that was checked, and
 * redirects are refused. Each JSON-RPC message is one POST; the answer is a JSON body or an SSE
 * stream of messages; the server's {@code Mcp-Session-Id} and the negotiated protocol version go
 * on every later request; a 404 for a session means it expired (the connection starts a new one).
 * Written on OkHttp because the SDK's transport uses the JDK client, which has no resolver hook for
 * the egress policy. Server-initiated streams (GET) are not opened: tool calls do not need them.
 */
public final class HttpMcpTransport implements McpClientTransport, McpTransportInfo {

  private static final Logger LOG = LoggerFactory.getLogger(HttpMcpTransport.class);
  private static final MediaType JSON = MediaType.get("application/json");
  private static final String SESSION_HEADER = "Mcp-Session-Id";
  private static final String VERSION_HEADER = "MCP-Protocol-Version";

  private final String server;
  private final HttpUrl url;
  private final Headers headers;
  private final OkHttpClient client;
  private final McpJsonMapper json;
  private final List<Runnable> closedListeners = new CopyOnWriteArrayList<>();
  private final AtomicBoolean closed = new AtomicBoolean();
  private volatile Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler;
  private volatile String sessionId;
  private volatile String protocolVersion;
  private volatile String lastError = "";

  /**
   * @param headers request headers, secrets already resolved (never logged or echoed)
   * @param readTimeout the longest silence on a response stream (a slow tool's whole call)
   * @throws EgressRefusedException when the egress policy refuses the URL's host
   * @throws IllegalArgumentException when the URL is not an acceptable http(s) URL
   */
  public HttpMcpTransport(
      String server, String url, Map<String, String> headers, EgressSession egress, Duration readTimeout, McpJsonMapper json)
      throws EgressRefusedException {
    this.server = server;
    this.url = egress.checkUrl(url);
    this.headers = Headers.of(headers);
    this.client = egress.client().newBuilder().readTimeout(readTimeout).build();
    this.json = json;
  }

  @Override
  public Mono<Void> connect(Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> handler) {
    this.handler = handler;
    return Mono.empty();
  }

  @Override
  public Mono<Void> sendMessage(McpSchema.JSONRPCMessage message) {
    return Mono.<Void>fromRunnable(() -> post(message)).subscribeOn(Schedulers.boundedElastic());
  }

  private void post(McpSchema.JSONRPCMessage message) {
    if (closed.get()) {
      throw new IllegalStateException("MCP server '" + server + "': the HTTP session is closed");
    }
    Request.Builder request = new Request.Builder().url(url).headers(headers)
        .header("Accept", "application/json, text/event-stream")
        .post(RequestBody.create(serialize(message), JSON));
    String session = sessionId;
    if (session != null) {
      request.header(SESSION_HEADER, session);
    }
    if (protocolVersion != null) {
      request.header(VERSION_HEADER, protocolVersion);
    }
    try (Response response = InterruptibleCall.execute(client.newCall(request.build()))) {
      String assigned = response.header(SESSION_HEADER);
      if (assigned != null && sessionId == null) {
        sessionId = assigned;
      }
      int status = response.code();
      if (status == 404 && session != null) {
        lastError = "HTTP 404 for session " + session + " (expired)";
        markClosed();
        throw new McpTransportSessionNotFoundException(session);
      }
      if (status == 202 || status == 204) {
        return;
      }
      if (status < 200 || status >= 300) {
        lastError = "HTTP " + status + " from " + url;
        throw new IllegalStateException("MCP server '" + server + "': " + lastError + bodySnippet(response));
      }
      String type = response.header("Content-Type", "");
      if (type.startsWith("text/event-stream")) {
        readEvents(response.body().source());
      } else {
        String body = response.body().string();
        if (!body.isBlank()) {
          deliver(body);
        }
      }
    } catch (IOException e) {
      lastError = "POST " + url + " failed: " + e.getMessage();
      EgressRefusedException refused = EgressRefusedException.find(e);
      throw new IllegalStateException("MCP server '" + server + "': "
          + (refused != null ? refused.getMessage() : lastError), e);
    }
  }

  /** Server-sent events: {@code data:} lines up to a blank line make one message. */
  private void readEvents(BufferedSource source) throws IOException {
    StringBuilder data = new StringBuilder();
    String line;
    while ((line = source.readUtf8Line()) != null) {
      if (line.isEmpty()) {
        if (data.length() > 0) {
          deliver(data.toString());
          data.setLength(0);
        }
      } else if (line.startsWith("data:")) {
        if (data.length() > 0) {
          data.append('\n');
        }
        data.append(line.substring(line.startsWith("data: ") ? 6 : 5));
      }
    }
    if (data.length() > 0) {
      deliver(data.toString());
    }
  }

  private void deliver(String text) throws IOException {
    McpSchema.JSONRPCMessage message = McpSchema.deserializeJsonRpcMessage(json, text);
    if (message instanceof McpSchema.JSONRPCResponse response
        && response.result() instanceof Map<?, ?> result && result.get("protocolVersion") instanceof String version
        && result.containsKey("serverInfo")) {
      protocolVersion = version;
    }
    Function<Mono<McpSchema.JSONRPCMessage>, Mono<McpSchema.JSONRPCMessage>> current = handler;
    if (current != null) {
      current.apply(Mono.just(message)).subscribe(
          ignored -> {}, error -> LOG.debug("MCP server '{}': handling a message failed", server, error));
    }
  }

  private byte[] serialize(McpSchema.JSONRPCMessage message) {
    try {
      return json.writeValueAsBytes(message);
    } catch (IOException e) {
      throw new IllegalStateException("cannot serialise an MCP message", e);
    }
  }

  private static String bodySnippet(Response response) {
    try {
      String body = response.peekBody(300).string().strip();
      return body.isEmpty() ? "" : ": " + body;
    } catch (IOException e) {
      return "";
    }
  }

  @Override
  public Mono<Void> closeGracefully() {
    return Mono.<Void>fromRunnable(this::close).subscribeOn(Schedulers.boundedElastic());
  }

  /** Ends the server's session (DELETE, best effort) and refuses further messages. */
  @Override
  public void close() {
    String session = sessionId;
    if (closed.get() || session == null) {
      markClosed();
      return;
    }
    markClosed();
    Request delete = new Request.Builder().url(url).headers(headers).header(SESSION_HEADER, session).delete().build();
    try (Response ignored = client.newCall(delete).execute()) {
      // 2xx, 404 or 405 (the server does not let clients end sessions): nothing more to do
    } catch (IOException e) {
      LOG.debug("MCP server '{}': ending session {} failed", server, session, e);
    }
  }

  private void markClosed() {
    if (closed.compareAndSet(false, true)) {
      closedListeners.forEach(Runnable::run);
    }
  }

  @Override
  public <T> T unmarshalFrom(Object data, TypeRef<T> typeRef) {
    return json.convertValue(data, typeRef);
  }

  @Override
  public String describe() {
    return url.toString();
  }

  @Override
  public String diagnostics() {
    return lastError;
  }

  @Override
  public void onClosed(Runnable listener) {
    closedListeners.add(listener);
    if (closed.get()) {
      listener.run();
    }
  }
}
