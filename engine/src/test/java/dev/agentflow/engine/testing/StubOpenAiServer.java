package dev.agentflow.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible {@code /v1/chat/completions} (and {@code /chat/completions}) server on
 * 127.0.0.1 and a free port, on the JDK's HTTP server, so tests drive the real langchain4j client
 * over real HTTP. It answers from a queue of {@link StubResponse}s (then from a fallback, by default
 * a 500 saying the script ran out), records every request, and counts requests in flight. Safe to
 * use from many threads.
 *
 * <pre>{@code
 * try (StubOpenAiServer stub = StubOpenAiServer.start()) {
 *   stub.enqueue(StubResponse.rateLimited("3")).enqueue(StubResponse.text("hi"));
 *   ModelSpec model = new ModelSpec("openai", "gpt-test", stub.baseUrl(), "env:KEY", …);
 * }
 * }</pre>
 */
public final class StubOpenAiServer implements AutoCloseable {

  private static final ObjectMapper JSON = new ObjectMapper();

  /** One request as the stub saw it; header names are lower case. */
  public record RecordedRequest(String path, JsonNode body, Map<String, String> headers, Instant receivedAt) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final Deque<StubResponse> script = new ConcurrentLinkedDeque<>();
  private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private volatile StubResponse fallback =
      StubResponse.error(500, "stub_script_exhausted", "StubOpenAiServer has no scripted response left");

  private StubOpenAiServer(HttpServer server) {
    this.server = server;
  }

  /** Starts a stub on 127.0.0.1 and a free port. */
  public static StubOpenAiServer start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      StubOpenAiServer stub = new StubOpenAiServer(server);
      server.createContext("/v1/chat/completions", stub::handle);
      server.createContext("/chat/completions", stub::handle);
      server.setExecutor(stub.executor);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the stub OpenAI server", e);
    }
  }

  /** The value for {@code ModelSpec.baseUrl}: {@code http://127.0.0.1:<port>/v1}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Adds responses to the end of the script, answered in order. */
  public StubOpenAiServer enqueue(StubResponse... responses) {
    script.addAll(List.of(responses));
    return this;
  }

  /** What to answer once the script is exhausted (default: a 500 saying so). */
  public StubOpenAiServer whenScriptEmpty(StubResponse response) {
    this.fallback = response;
    return this;
  }

  /** Every request received so far, in arrival order. */
  public List<RecordedRequest> requests() {
    return List.copyOf(requests);
  }

  public int requestCount() {
    return requests.size();
  }

  /** The most requests that were being answered at the same moment. */
  public int peakInFlight() {
    return peakInFlight.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    int now = inFlight.incrementAndGet();
    peakInFlight.accumulateAndGet(now, Math::max);
    try (exchange) {
      requests.add(record(exchange));
      StubResponse response = script.pollFirst();
      if (response == null) {
        response = fallback;
      }
      if (!response.delay().isZero()) {
        Thread.sleep(response.delay().toMillis());
      }
      send(exchange, response);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientWentAway) {
      // the client timed out and closed the connection: nothing to answer
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static RecordedRequest record(HttpExchange exchange) throws IOException {
    Instant receivedAt = Instant.now();
    JsonNode body;
    try (InputStream in = exchange.getRequestBody()) {
      byte[] bytes = in.readAllBytes();
      body = bytes.length == 0 ? JSON.nullNode() : JSON.readTree(bytes);
    }
    Map<String, String> headers = new LinkedHashMap<>();
    exchange.getRequestHeaders().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), String.join(",", values)));
    return new RecordedRequest(exchange.getRequestURI().getPath(), body, headers, receivedAt);
  }

  private static void send(HttpExchange exchange, StubResponse response) throws IOException {
    byte[] bytes = response.body().getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    new ArrayList<>(response.headers().entrySet())
        .forEach(header -> exchange.getResponseHeaders().set(header.getKey(), header.getValue()));
    exchange.sendResponseHeaders(response.status(), bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
