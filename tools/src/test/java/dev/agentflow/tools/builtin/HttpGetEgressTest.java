package dev.agentflow.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.egress.ConnectGuard;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressPolicy;
import dev.agentflow.tools.egress.HostResolver;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@code http_get} under the egress policy. The only server is a stub on 127.0.0.1; other targets
 * are refused before connecting, and a guard would stop (and record) any attempt to leave loopback.
 */
class HttpGetEgressTest {

  private static final ObjectMapper MAPPER = new ObjectMapper();

  private final HttpGetTool tool = new HttpGetTool();
  private final List<InetSocketAddress> attempts = new CopyOnWriteArrayList<>();
  private final ConnectGuard loopbackOnly = target -> {
    attempts.add(target);
    if (!target.getAddress().isLoopbackAddress()) {
      throw new IOException("test guard: a connection to " + target + " was attempted");
    }
  };
  private final HostResolver resolver = host -> switch (host) {
    case "internal.test" -> List.of(InetAddress.getByAddress(host, new byte[] {10, 0, 0, 5}));
    case "stub.test" -> List.of(InetAddress.getByAddress(host, new byte[] {127, 0, 0, 1}));
    default -> throw new UnknownHostException(host);
  };
  private final AtomicInteger hits = new AtomicInteger();
  private HttpServer stub;
  private String base;

  @BeforeEach
  void startStub() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/to-metadata", exchange -> redirect(exchange, "http://169.254.169.254/latest/meta-data/"));
    stub.createContext("/to-internal", exchange -> redirect(exchange, "http://internal.test/admin"));
    stub.createContext("/to-userinfo", exchange -> redirect(exchange, "http://api.github.com@127.0.0.1/"));
    stub.createContext("/ok", exchange -> {
      hits.incrementAndGet();
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    stub.start();
    base = "http://127.0.0.1:" + stub.getAddress().getPort();
  }

  @AfterEach
  void stopStub() {
    stub.stop(0);
  }

  private static void redirect(com.sun.net.httpserver.HttpExchange exchange, String location) throws IOException {
    exchange.getResponseHeaders().set("Location", location);
    exchange.sendResponseHeaders(302, -1);
    exchange.close();
  }

  private ToolContext context(String url, EgressPolicy policy, EgressNarrowing narrowing) {
    ObjectNode arguments = MAPPER.createObjectNode().put("url", url);
    return new ToolContext(arguments, ref -> Optional.empty(), Duration.ofSeconds(5), 4096,
        new Egress(policy, resolver, loopbackOnly).session(narrowing));
  }

  private static EgressPolicy loopbackAllowed() {
    return EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true);
  }

  private static String typeOf(Throwable e) {
    return ((ToolException) e).type();
  }

  @Test
  void should_refuse_the_loopback_stub_when_the_worker_does_not_allow_it() {
    assertThatThrownBy(() -> tool.call(context(base + "/ok", EgressPolicy.defaults(), EgressNarrowing.NONE)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("EgressRefused"))
        .satisfies(e -> assertThat(((ToolException) e).retryable()).isFalse())
        .hasMessageContaining("loopback");
    assertThat(hits).hasValue(0);
    assertThat(attempts).isEmpty();
  }

  @Test
  void should_fetch_from_the_loopback_stub_when_the_worker_allows_it() throws Exception {
    assertThat(tool.call(context(base + "/ok", loopbackAllowed(), EgressNarrowing.NONE)).get("status").asInt()).isEqualTo(200);
    assertThat(hits).hasValue(1);
  }

  @Test
  void should_refuse_a_redirect_from_an_allowed_loopback_stub_to_the_metadata_address() {
    assertThatThrownBy(() -> tool.call(context(base + "/to-metadata", loopbackAllowed(), EgressNarrowing.NONE)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("EgressRefused"))
        .hasMessageContaining("169.254.169.254");
    assertThat(attempts).extracting(target -> target.getAddress().getHostAddress()).containsOnly("127.0.0.1");
  }

  @Test
  void should_refuse_a_redirect_to_a_hostname_that_resolves_to_a_private_address() {
    assertThatThrownBy(() -> tool.call(context(base + "/to-internal", loopbackAllowed(), EgressNarrowing.NONE)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("EgressRefused"))
        .hasMessageContaining("10.0.0.5");
    assertThat(attempts).extracting(target -> target.getAddress().getHostAddress()).containsOnly("127.0.0.1");
  }

  @Test
  void should_refuse_a_redirect_whose_location_carries_user_info() {
    assertThatThrownBy(() -> tool.call(context(base + "/to-userinfo", loopbackAllowed(), EgressNarrowing.NONE)))
        .isInstanceOf(ToolException.class)
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("HttpRedirectRefused"))
        .hasMessageContaining("user info");
  }

  @Test
  void should_refuse_a_hostname_resolving_to_loopback_without_a_worker_allow_entry() {
    String url = "http://stub.test:" + stub.getAddress().getPort() + "/ok";

    assertThatThrownBy(() -> tool.call(context(url, EgressPolicy.defaults(), EgressNarrowing.NONE)))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("EgressRefused"));
    assertThat(hits).hasValue(0);
  }

  @Test
  void should_refuse_a_host_the_worker_allows_when_the_definition_narrows_to_other_hosts() {
    assertThatThrownBy(() -> tool.call(context(base + "/ok", loopbackAllowed(), EgressNarrowing.of(List.of("*.github.com")))))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("EgressRefused"))
        .hasMessageContaining("definition's egress.allow");
    assertThat(hits).hasValue(0);
  }

  @Test
  void should_refuse_user_info_in_the_url_as_invalid_arguments() {
    assertThatThrownBy(() -> tool.call(context("http://user:pw@127.0.0.1:1/", loopbackAllowed(), EgressNarrowing.NONE)))
        .satisfies(e -> assertThat(typeOf(e)).isEqualTo("InvalidToolArguments"));
  }
}
