package dev.agentflow.tools.egress;

import java.net.Proxy;
import java.time.Duration;
import java.util.Objects;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;

/**
 * The one HTTP client setup of a worker, shared by tools and model providers: OkHttp with the
 * worker's {@link EgressPolicy}, a {@link HostResolver} and a {@link ConnectGuard}. Each call (or
 * each model endpoint) gets an {@link EgressSession}: its own view of the policy (a definition's
 * narrowing, or trusted for an endpoint the operator set) over the shared connection pool and
 * threads.
 *
 * <p>OkHttp rather than the JDK client because its {@code Dns} hook lets every connection go to the
 * address the policy checked, with no second lookup a DNS rebinding attack could answer differently.
 * No proxy is ever used (a proxy would resolve the host itself), redirects are never followed by
 * the client (callers follow them and check each hop), and a failed request is never re-sent by the
 * client (a model call sent twice is paid twice; Temporal's retry policy decides).
 */
public final class Egress {

  /** How long connecting to one address may take. */
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);

  private static volatile Egress standard;

  private final EgressPolicy policy;
  private final HostResolver resolver;
  private final ConnectGuard guard;
  private final OkHttpClient base;

  public Egress(EgressPolicy policy, HostResolver resolver, ConnectGuard guard) {
    this.policy = Objects.requireNonNull(policy, "policy");
    this.resolver = Objects.requireNonNull(resolver, "resolver");
    this.guard = Objects.requireNonNull(guard, "guard");
    // calls run on the dispatcher (InterruptibleCall): no per-host cap, the pools' slots are the limit
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(Integer.MAX_VALUE);
    dispatcher.setMaxRequestsPerHost(Integer.MAX_VALUE);
    this.base = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .proxy(Proxy.NO_PROXY)
        .followRedirects(false)
        .followSslRedirects(false)
        .retryOnConnectionFailure(false) // a request is sent once; Temporal retries, not the client
        .connectTimeout(CONNECT_TIMEOUT)
        .build();
    warmUp();
  }

  /**
   * Loads the URL, request and Kotlin classes once, with no network, so the first call of a cold
   * worker (e.g. one that takes over a run after a crash) does not pay for it inside its timeout.
   */
  private static void warmUp() {
    okhttp3.HttpUrl url = okhttp3.HttpUrl.parse("http://127.0.0.1/warm-up?x=1");
    if (url != null) {
      new okhttp3.Request.Builder().url(url.resolve("/other")).header("X-Warm", "1")
          .post(okhttp3.RequestBody.create(new byte[0], null)).build();
    }
  }

  /** The worker's policy over the system resolver. */
  public Egress(EgressPolicy policy) {
    this(policy, HostResolver.SYSTEM, ConnectGuard.NONE);
  }

  /**
   * The default policy (public addresses only) over the system resolver: what a tool gets when it
   * is called outside a worker, e.g. in its own unit test.
   */
  public static Egress standard() {
    Egress current = standard;
    if (current == null) {
      synchronized (Egress.class) {
        if (standard == null) {
          standard = new Egress(EgressPolicy.defaults());
        }
        current = standard;
      }
    }
    return current;
  }

  public EgressPolicy policy() {
    return policy;
  }

  /** A session checked against the worker's policy and, when it narrows, the definition's allow list. */
  public EgressSession session(EgressNarrowing narrowing) {
    return new EgressSession(this, narrowing == null ? EgressNarrowing.NONE : narrowing, false);
  }

  /**
   * A session for an endpoint the operator set (worker config, {@code OPENAI_BASE_URL}): the operator
   * decides where their own model server is, so no policy applies; redirects are still not followed.
   */
  public EgressSession trusted() {
    return new EgressSession(this, EgressNarrowing.NONE, true);
  }

  HostResolver resolver() {
    return resolver;
  }

  ConnectGuard guard() {
    return guard;
  }

  OkHttpClient base() {
    return base;
  }
}
