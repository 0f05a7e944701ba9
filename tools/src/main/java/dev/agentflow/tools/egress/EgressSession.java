package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import javax.net.SocketFactory;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;

/**
 * One caller's checked view of the network: a tool call, or one model endpoint. Every URL goes
 * through {@link #checkUrl} (and every redirect through {@link #checkRedirect}) before a request is
 * made; {@link #client()} then resolves names through the policy (only allowed addresses come back,
 * and OkHttp connects to exactly those) and refuses, at the socket, any address this session did not
 * check: an address literal in a URL, which OkHttp connects to without a lookup, is checked by
 * {@link #checkUrl}.
 */
public final class EgressSession {

  private final Egress egress;
  private final EgressNarrowing narrowing;
  private final boolean trusted;
  private final Set<InetAddress> checked = ConcurrentHashMap.newKeySet();
  private final OkHttpClient client;

  EgressSession(Egress egress, EgressNarrowing narrowing, boolean trusted) {
    this.egress = egress;
    this.narrowing = narrowing;
    this.trusted = trusted;
    this.client = egress.base().newBuilder().dns(this::lookup).socketFactory(new GuardedSockets()).build();
  }

  /** The client to make this session's requests with (it never follows redirects). */
  public OkHttpClient client() {
    return client;
  }

  /** Whether this session skips the policy (an operator-set endpoint). */
  public boolean trusted() {
    return trusted;
  }

  /**
   * Parses and checks an absolute http(s) URL.
   *
   * @throws IllegalArgumentException when it is not an acceptable URL (bad characters, user info, not
   *     http(s), an ambiguous address literal)
   * @throws EgressRefusedException when the policy refuses its host
   */
  public HttpUrl checkUrl(String text) throws EgressRefusedException {
    UrlSyntax.check(text, "url");
    HttpUrl url = HttpUrl.parse(text);
    if (url == null) {
      throw new IllegalArgumentException("url must be an absolute http or https URL with a host");
    }
    check(url, "url");
    return url;
  }

  /**
   * The target of a redirect from {@code from}, checked like a URL.
   *
   * @throws IllegalArgumentException when the location is not acceptable
   * @throws EgressRefusedException when the policy refuses its host
   */
  public HttpUrl checkRedirect(HttpUrl from, String location) throws EgressRefusedException {
    UrlSyntax.check(location, "redirect");
    HttpUrl next = from.resolve(location);
    if (next == null) {
      throw new IllegalArgumentException("redirect to a location that is not an http or https URL");
    }
    check(next, "redirect");
    return next;
  }

  private void check(HttpUrl url, String what) throws EgressRefusedException {
    if (!url.username().isEmpty() || !url.password().isEmpty()) {
      throw new IllegalArgumentException(what + " contains user info; credentials go in headers, never in the URL");
    }
    if (trusted) {
      return;
    }
    String host = url.host();
    Optional<InetAddress> literal = IpLiterals.parse(host);
    if (literal.isPresent()) {
      Optional<String> refusal = egress.policy().refuse(host, literal.get(), narrowing);
      if (refusal.isPresent()) {
        throw new EgressRefusedException("egress refused: " + refusal.get());
      }
      checked.add(literal.get());
      return;
    }
    Optional<String> refusal = egress.policy().refuseHost(host, narrowing);
    if (refusal.isPresent()) {
      throw new EgressRefusedException("egress refused: " + refusal.get());
    }
  }

  /**
   * The addresses of {@code host} that the policy allows (what a connection would use), without
   * connecting: how a definition's endpoint is checked before a run starts.
   *
   * @throws EgressRefusedException when none is allowed
   * @throws UnknownHostException when the host does not resolve
   */
  public List<InetAddress> resolveChecked(String host) throws UnknownHostException {
    return lookup(host);
  }

  /** OkHttp's {@code Dns}: the resolver's addresses that the policy allows, or a refusal. */
  private List<InetAddress> lookup(String host) throws UnknownHostException {
    if (trusted) {
      return egress.resolver().resolve(host);
    }
    Optional<String> early = egress.policy().refuseHost(host, narrowing);
    if (early.isPresent()) {
      throw new EgressRefusedException("egress refused: " + early.get());
    }
    List<InetAddress> allowed = new ArrayList<>();
    String firstRefusal = null;
    for (InetAddress address : egress.resolver().resolve(host)) {
      Optional<String> refusal = egress.policy().refuse(host, address, narrowing);
      if (refusal.isEmpty()) {
        allowed.add(address);
      } else if (firstRefusal == null) {
        firstRefusal = refusal.get();
      }
    }
    if (allowed.isEmpty()) {
      throw new EgressRefusedException(
          "egress refused: " + (firstRefusal != null ? firstRefusal : host + " resolved to no address"));
    }
    checked.addAll(allowed);
    return allowed;
  }

  /** The last line: a socket connects only to an address this session checked. */
  private void beforeConnect(SocketAddress endpoint) throws IOException {
    if (!(endpoint instanceof InetSocketAddress target) || target.getAddress() == null) {
      throw new EgressRefusedException("egress refused: unresolved socket address " + endpoint);
    }
    if (!trusted && !checked.contains(target.getAddress())) {
      throw new EgressRefusedException(
          "egress refused: " + target.getAddress().getHostAddress() + " was not checked by the egress policy");
    }
    egress.guard().beforeConnect(target);
  }

  private final class GuardedSockets extends SocketFactory {

    @Override
    public Socket createSocket() {
      return new Socket() {
        @Override
        public void connect(SocketAddress endpoint, int timeout) throws IOException {
          beforeConnect(endpoint);
          super.connect(endpoint, timeout);
        }
      };
    }

    // OkHttp only asks for unconnected sockets; these would connect without a check, so they refuse.
    @Override
    public Socket createSocket(String host, int port) throws IOException {
      throw unsupported();
    }

    @Override
    public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
      throw unsupported();
    }

    @Override
    public Socket createSocket(InetAddress host, int port) throws IOException {
      throw unsupported();
    }

    @Override
    public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) throws IOException {
      throw unsupported();
    }

    private IOException unsupported() {
      return new java.net.SocketException("egress sockets are created unconnected and checked when they connect");
    }
  }
}
