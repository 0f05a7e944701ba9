package dev.agentflow.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolContractTest;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.egress.ConnectGuard;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressPolicy;
import dev.agentflow.tools.egress.HostResolver;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpGetToolTest extends ToolContractTest {

  private final HttpGetTool tool = new HttpGetTool();
  private final Map<String, String> requestHeaders = new ConcurrentHashMap<>();
  private HttpServer server;
  private ExecutorService serverThreads;
  private String base;

  @Override
  protected Tool tool() {
    return tool;
  }

  @Override
  protected JsonNode invalidArguments() {
    return json("{'url': 'file:///etc/passwd'}");
  }

  @BeforeEach
  void startServer() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    serverThreads = Executors.newCachedThreadPool();
    server.setExecutor(serverThreads);
    server.createContext("/hello", exchange -> {
      requestHeaders.put("X-Test", String.valueOf(exchange.getRequestHeaders().getFirst("X-Test")));
      respond(exchange, 200, "text/plain; charset=utf-8", "héllo");
    });
    server.createContext("/missing", exchange -> respond(exchange, 404, "text/plain", "no such page"));
    server.createContext("/broken", exchange -> respond(exchange, 500, "text/plain", "oops"));
    server.createContext("/big", exchange -> respond(exchange, 200, "text/plain", "x".repeat(10_000)));
    server.createContext("/exact", exchange -> respond(exchange, 200, "text/plain", "x".repeat(100)));
    server.createContext("/slow", exchange -> {
      try {
        Thread.sleep(10_000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      respond(exchange, 200, "text/plain", "too late");
    });
    server.createContext("/redirect", exchange -> redirect(exchange, "/hello"));
    server.createContext("/loop", exchange -> redirect(exchange, "/loop"));
    server.createContext("/to-file", exchange -> redirect(exchange, "file:///etc/passwd"));
    server.start();
    base = "http://127.0.0.1:" + server.getAddress().getPort();
  }

  @AfterEach
  void stopServer() {
    server.stop(0);
    serverThreads.shutdownNow();
  }

  private static void respond(HttpExchange exchange, int status, String contentType, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", contentType);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void redirect(HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private JsonNode get(String url) throws ToolException {
    return tool.call(local(MAPPER.createObjectNode().put("url", url)));
  }

  /** The stub is on 127.0.0.1, which the default policy refuses: these tests allow it, as a worker config would. */
  private final Egress loopbackAllowed =
      new Egress(EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true), HostResolver.SYSTEM, ConnectGuard.NONE);

  private ToolContext local(JsonNode arguments) {
    return local(arguments, ref -> Optional.empty(), Duration.ofSeconds(5), 1024 * 1024);
  }

  private ToolContext local(JsonNode arguments, ToolContext.SecretResolver secrets, Duration timeout, long maxBytes) {
    return new ToolContext(arguments, secrets, timeout, maxBytes, loopbackAllowed.session(EgressNarrowing.NONE));
  }

  private static ToolException toolException(Throwable thrown) {
    return (ToolException) thrown;
  }

  @Test
  void returns_status_content_type_and_body_of_a_200() throws Exception {
    JsonNode result = get(base + "/hello");

    assertThat(result.get("status").asInt()).isEqualTo(200);
    assertThat(result.get("contentType").asText()).isEqualTo("text/plain; charset=utf-8");
    assertThat(result.get("body").asText()).isEqualTo("héllo");
    assertThat(result.get("truncated").asBoolean()).isFalse();
    assertThat(result.get("url").asText()).isEqualTo(base + "/hello");
  }

  @Test
  void returns_a_404_as_a_result_so_the_model_can_see_it() throws Exception {
    JsonNode result = get(base + "/missing");

    assertThat(result.get("status").asInt()).isEqualTo(404);
    assertThat(result.get("body").asText()).isEqualTo("no such page");
  }

  @Test
  void a_500_is_a_retryable_http_unavailable() {
    assertThatThrownBy(() -> get(base + "/broken"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("HTTP 500")
        .satisfies(e -> assertThat(toolException(e).type()).isEqualTo("HttpUnavailable"))
        .satisfies(e -> assertThat(toolException(e).retryable()).isTrue());
  }

  @Test
  void a_refused_connection_is_a_retryable_http_unavailable() throws Exception {
    int closedPort;
    try (ServerSocket socket = new ServerSocket(0)) {
      closedPort = socket.getLocalPort();
    }

    assertThatThrownBy(() -> get("http://127.0.0.1:" + closedPort + "/"))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(toolException(e).type()).isEqualTo("HttpUnavailable"))
        .satisfies(e -> assertThat(toolException(e).retryable()).isTrue());
  }

  @Test
  void a_slow_server_times_out_as_a_retryable_http_unavailable() {
    ToolContext context = local(
        MAPPER.createObjectNode().put("url", base + "/slow"), ref -> Optional.empty(), Duration.ofMillis(300), 1024);
    long start = System.nanoTime();

    assertThatThrownBy(() -> tool.call(context))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("timed out after 300 ms")
        .satisfies(e -> assertThat(toolException(e).retryable()).isTrue());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void an_interrupt_ends_a_call_to_a_slow_server_as_interrupted_before_its_timeout() throws Exception {
    ToolContext context = local(
        MAPPER.createObjectNode().put("url", base + "/slow"), ref -> Optional.empty(), Duration.ofSeconds(30), 1024);
    java.util.concurrent.CompletableFuture<Throwable> outcome = new java.util.concurrent.CompletableFuture<>();
    Thread caller = new Thread(() -> {
      try {
        tool.call(context);
        outcome.complete(null);
      } catch (Throwable e) {
        outcome.complete(e);
      }
    });
    caller.start();
    Thread.sleep(300);

    caller.interrupt();

    Throwable thrown = outcome.get(5, java.util.concurrent.TimeUnit.SECONDS);
    assertThat(thrown).isInstanceOf(ToolException.class).hasMessageContaining("was interrupted");
  }

  @Test
  void stops_reading_at_the_max_bytes_argument_and_says_truncated() throws Exception {
    JsonNode result = tool.call(local(MAPPER.createObjectNode().put("url", base + "/big").put("maxBytes", 100)));

    assertThat(result.get("body").asText()).hasSize(100);
    assertThat(result.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void the_context_result_limit_wins_when_it_is_smaller_than_max_bytes() throws Exception {
    ToolContext context = local(
        MAPPER.createObjectNode().put("url", base + "/big").put("maxBytes", 5000), ref -> Optional.empty(),
        Duration.ofSeconds(5), 64);

    JsonNode result = tool.call(context);

    assertThat(result.get("body").asText()).hasSize(64);
    assertThat(result.get("truncated").asBoolean()).isTrue();
  }

  @Test
  void a_body_exactly_at_the_cap_is_not_truncated() throws Exception {
    JsonNode result = tool.call(local(MAPPER.createObjectNode().put("url", base + "/exact").put("maxBytes", 100)));

    assertThat(result.get("body").asText()).hasSize(100);
    assertThat(result.get("truncated").asBoolean()).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"file:///etc/passwd", "ftp://example.com/x", "jar:file:/x.jar!/y", "/relative/path", "http://", "not a url"})
  void refuses_anything_but_an_absolute_http_or_https_url(String url) {
    assertThatThrownBy(() -> get(url))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(toolException(e).type()).isEqualTo("InvalidToolArguments"))
        .satisfies(e -> assertThat(toolException(e).retryable()).isFalse());
  }

  @Test
  void follows_redirects() throws Exception {
    JsonNode result = get(base + "/redirect");

    assertThat(result.get("status").asInt()).isEqualTo(200);
    assertThat(result.get("url").asText()).isEqualTo(base + "/hello");
  }

  @Test
  void gives_up_after_a_bounded_number_of_redirects() {
    assertThatThrownBy(() -> get(base + "/loop"))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("more than " + HttpGetTool.MAX_REDIRECTS + " redirects")
        .satisfies(e -> assertThat(toolException(e).retryable()).isFalse());
  }

  @Test
  void refuses_a_redirect_to_a_non_http_scheme() {
    assertThatThrownBy(() -> get(base + "/to-file"))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(toolException(e).type()).isEqualTo("HttpRedirectRefused"))
        .satisfies(e -> assertThat(toolException(e).retryable()).isFalse());
  }

  @Test
  void sends_headers_including_ones_resolved_from_secrets() throws Exception {
    ObjectNode arguments = MAPPER.createObjectNode().put("url", base + "/hello");
    arguments.putObject("headers").putObject("X-Test").put("secret", "env:TEST_TOKEN");
    ToolContext context = local(arguments,
        ref -> ref.equals("env:TEST_TOKEN") ? Optional.of("s3cret") : Optional.empty(), Duration.ofSeconds(5), 1024);

    tool.call(context);

    assertThat(requestHeaders).containsEntry("X-Test", "s3cret");
  }

  @Test
  void an_unset_secret_is_a_non_retryable_secret_not_found() {
    ObjectNode arguments = MAPPER.createObjectNode().put("url", base + "/hello");
    arguments.putObject("headers").putObject("X-Test").put("secret", "env:NOT_SET");

    assertThatThrownBy(() -> tool.call(local(arguments)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(toolException(e).type()).isEqualTo("SecretNotFound"))
        .satisfies(e -> assertThat(toolException(e).retryable()).isFalse());
  }

  @Test
  void rejects_a_non_positive_max_bytes() {
    assertThatThrownBy(() -> tool.call(local(MAPPER.createObjectNode().put("url", base + "/hello").put("maxBytes", 0))))
        .isInstanceOf(ToolException.class)
        .hasMessageContaining("maxBytes");
  }
}
