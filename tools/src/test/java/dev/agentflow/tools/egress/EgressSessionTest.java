package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The session over real OkHttp, with a fake resolver and a guard that refuses anything off
 * loopback: refusals are proven before any connection, and the only server ever reached is a stub on
 * 127.0.0.1.
 */
class EgressSessionTest {

  private final RecordingGuard guard = new RecordingGuard();
  private final AtomicInteger requests = new AtomicInteger();
  private HttpServer stub;
  private int port;

  @BeforeEach
  void startStub() throws IOException {
    stub = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    stub.createContext("/", exchange -> {
      requests.incrementAndGet();
      byte[] body = "ok".getBytes(StandardCharsets.UTF_8);
      exchange.sendResponseHeaders(200, body.length);
      exchange.getResponseBody().write(body);
      exchange.close();
    });
    stub.start();
    port = stub.getAddress().getPort();
  }

  @AfterEach
  void stopStub() {
    stub.stop(0);
  }

  private static HostResolver table(Map<String, String> names) {
    return host -> {
      String address = names.get(host);
      if (address == null) {
        throw new UnknownHostException(host + " (not in the test's table)");
      }
      return List.of(IpLiterals.parse(address).orElseThrow());
    };
  }

  private Egress egress(EgressPolicy policy, HostResolver resolver) {
    return new Egress(policy, resolver, guard);
  }

  private static int status(EgressSession session, HttpUrl url) throws IOException {
    try (Response response = session.client().newCall(new Request.Builder().url(url).build()).execute()) {
      return response.code();
    }
  }

  @Test
  void should_refuse_a_hostname_that_resolves_to_loopback() throws Exception {
    EgressSession session = egress(EgressPolicy.defaults(), table(Map.of("stub.test", "127.0.0.1"))).session(EgressNarrowing.NONE);
    HttpUrl url = session.checkUrl("http://stub.test:" + port + "/");

    assertThatThrownBy(() -> status(session, url))
        .satisfies(e -> assertThat(EgressRefusedException.find(e)).isNotNull())
        .hasMessageContaining("loopback");
    assertThat(guard.attempts).isEmpty();
    assertThat(requests).hasValue(0);
  }

  @ParameterizedTest
  @ValueSource(strings = {"10.0.0.5", "172.20.1.1", "192.168.0.10", "169.254.169.254", "100.64.1.1", "0.0.0.0",
      "224.0.0.251", "255.255.255.255", "198.18.0.1", "240.0.0.1", "192.0.2.1", "::1", "fc00::5", "fd00:ec2::254",
      "fe80::1", "ff02::1", "::", "64:ff9b::a00:5", "2002:a9fe:a9fe::1", "2001:0:4136:e378:8000:63bf:3fff:fdd2"})
  void should_refuse_a_hostname_resolving_to_a_special_address_before_any_connection(String address) throws Exception {
    EgressSession session = egress(EgressPolicy.defaults(), table(Map.of("internal.test", address))).session(EgressNarrowing.NONE);
    HttpUrl url = session.checkUrl("http://internal.test/latest/meta-data");

    assertThatThrownBy(() -> status(session, url))
        .satisfies(e -> assertThat(EgressRefusedException.find(e)).isNotNull());
    assertThat(guard.attempts).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.0.0.1/", "http://10.0.0.5/", "http://169.254.169.254/latest/meta-data/",
      "http://[::1]/", "http://[fe80::1]/", "http://[fd00:ec2::254]/", "http://[::ffff:127.0.0.1]/",
      "http://[::ffff:a9fe:a9fe]/", "http://[64:ff9b::7f00:1]/", "http://0.0.0.0/", "http://100.64.0.1/",
      "http://224.0.0.1/", "https://192.168.1.1/admin"})
  void should_refuse_an_address_literal_of_a_special_range_when_the_url_is_checked(String url) {
    EgressSession session = egress(EgressPolicy.defaults(), HostResolver.SYSTEM).session(EgressNarrowing.NONE);

    assertThatThrownBy(() -> session.checkUrl(url)).isInstanceOf(EgressRefusedException.class);
    assertThat(guard.attempts).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://127.1/", "http://0177.0.0.1/", "http://2130706433/", "http://0x7f.0.0.1/"})
  void should_refuse_an_ambiguous_ipv4_literal(String url) {
    EgressSession session = egress(EgressPolicy.of(List.of("127.0.0.0/8"), List.of(), true), HostResolver.SYSTEM)
        .session(EgressNarrowing.NONE);

    assertThatThrownBy(() -> session.checkUrl(url)).isInstanceOfAny(IllegalArgumentException.class, EgressRefusedException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"http://user:pw@127.0.0.1/", "http://api.github.com@127.0.0.1/", "http://@127.0.0.1/",
      "http://127.0.0.1\\@evil.example/", "http://127.0.0.1/\\..\\", "http://127.0.0.1/a\nb", "http://127.0.0.1/a\rHost: x",
      "http://127.0.0.1/\u0000", "http://127.0.0.1/a b", "http://127.0.0.1/\t", "http://127.0.0.1/\u2028"})
  void should_refuse_user_info_backslashes_and_control_characters_in_a_url(String url) {
    EgressSession session = egress(EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true), HostResolver.SYSTEM)
        .session(EgressNarrowing.NONE);

    assertThatThrownBy(() -> session.checkUrl(url)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_reach_an_allowed_hostname_at_the_address_that_was_checked_even_when_dns_later_answers_otherwise()
      throws Exception {
    AtomicInteger lookups = new AtomicInteger();
    HostResolver rebinding = host -> List.of(IpLiterals.parse(lookups.getAndIncrement() == 0 ? "127.0.0.1" : "127.0.0.2").orElseThrow());
    EgressSession session = egress(EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true), rebinding)
        .session(EgressNarrowing.NONE);
    HttpUrl url = session.checkUrl("http://stub.test:" + port + "/");

    assertThat(status(session, url)).isEqualTo(200);
    assertThat(status(session, url)).isEqualTo(200);

    assertThat(lookups).hasValue(1);
    assertThat(guard.attempts).extracting(target -> target.getAddress().getHostAddress()).containsOnly("127.0.0.1");
  }

  @Test
  void should_refuse_a_socket_connect_to_an_address_the_session_did_not_check() throws Exception {
    EgressSession session = egress(EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true), HostResolver.SYSTEM)
        .session(EgressNarrowing.NONE);

    try (Socket socket = session.client().socketFactory().createSocket()) {
      assertThatThrownBy(() -> socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port)))
          .isInstanceOf(EgressRefusedException.class)
          .hasMessageContaining("not checked");
    }
    assertThat(guard.attempts).isEmpty();
  }

  @Test
  void should_refuse_a_host_the_worker_allows_when_the_definition_narrowing_leaves_it_out() throws Exception {
    Egress egress = egress(EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true), table(Map.of("stub.test", "127.0.0.1")));
    EgressSession narrowed = egress.session(EgressNarrowing.of(List.of("api.github.com")));

    assertThatThrownBy(() -> narrowed.checkUrl("http://127.0.0.1:" + port + "/")).isInstanceOf(EgressRefusedException.class)
        .hasMessageContaining("definition's egress.allow");
    assertThatThrownBy(() -> narrowed.checkUrl("http://stub.test:" + port + "/")).isInstanceOf(EgressRefusedException.class);
    assertThat(requests).hasValue(0);
  }

  @Test
  void should_let_a_trusted_session_reach_an_operator_endpoint_on_loopback() throws Exception {
    EgressSession trusted = egress(EgressPolicy.defaults(), HostResolver.SYSTEM).trusted();

    assertThat(status(trusted, trusted.checkUrl("http://127.0.0.1:" + port + "/"))).isEqualTo(200);
  }
}
