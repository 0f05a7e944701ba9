package dev.agentflow.engine.secret;

import dev.agentflow.engine.config.SecretGrant;
import dev.agentflow.dsl.egress.HostRule;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Which secrets each tool and model provider may read, and where they may be sent: the worker's
 * {@code secrets:} config. Definitions only name secrets; a name the worker did not grant to the
 * reader is refused with a message naming the variable and the config key that would allow it. The
 * only grant without config is {@value #DEFAULT_PROVIDER_KEY} for provider {@code openai}.
 *
 * <p>{@code hosts}: for a tool, an empty list means any host the egress policy allows; for a
 * provider, an empty list means only the operator's own endpoint (the provider default,
 * {@code OPENAI_BASE_URL} or {@code providers.<name>.baseUrl}), so a definition's {@code baseUrl}
 * never receives a key the worker did not mean for it.
 *
 * <p>Messages never carry a secret's value.
 */
public final class SecretPolicy {

  /** Failure type of a refused secret (non-retryable). */
  public static final String NOT_ALLOWED = "SecretNotAllowed";

  public static final String DEFAULT_PROVIDER_KEY = "OPENAI_API_KEY";
  private static final String DEFAULT_PROVIDER = "openai";
  private static final String ENV_PREFIX = "env:";

  private record Grant(Set<String> tools, Set<String> providers, List<HostRule> hosts) {}

  private final Map<String, Grant> grants;

  private SecretPolicy(Map<String, Grant> grants) {
    this.grants = grants;
  }

  /** Only the default grant. */
  public static SecretPolicy defaults() {
    return of(Map.of());
  }

  /** The config's grants plus the default one. */
  public static SecretPolicy of(Map<String, SecretGrant> config) {
    Map<String, Grant> grants = new TreeMap<>();
    config.forEach((name, grant) -> {
      List<HostRule> hosts = new ArrayList<>();
      grant.hosts().forEach(host -> hosts.add(HostRule.parse(host)));
      grants.put(name, new Grant(new TreeSet<>(grant.tools()), new TreeSet<>(grant.providers()), List.copyOf(hosts)));
    });
    Grant existing = grants.get(DEFAULT_PROVIDER_KEY);
    Set<String> providers = new TreeSet<>(existing == null ? Set.of() : existing.providers());
    providers.add(DEFAULT_PROVIDER);
    grants.put(DEFAULT_PROVIDER_KEY, new Grant(existing == null ? Set.of() : existing.tools(), providers,
        existing == null ? List.of() : existing.hosts()));
    return new SecretPolicy(Map.copyOf(grants));
  }

  /**
   * The variable an {@code env:NAME} reference names.
   *
   * @throws IllegalArgumentException when it is not such a reference (the text is not repeated: it
   *     may be a pasted secret)
   */
  public static String variableOf(String reference) {
    if (reference == null || !reference.startsWith(ENV_PREFIX) || reference.length() == ENV_PREFIX.length()) {
      throw new IllegalArgumentException(
          "not a secret reference (expected env:NAME); the value is not shown in case it is a secret");
    }
    return reference.substring(ENV_PREFIX.length());
  }

  /** Why {@code tool} may not read the secret, or empty when it may. */
  public Optional<String> refuseForTool(String reference, String tool) {
    String variable = variableOf(reference);
    Grant grant = grants.get(variable);
    if (grant != null && grant.tools().contains(tool)) {
      return Optional.empty();
    }
    return Optional.of("tool '" + tool + "' may not read the secret " + variable + ": the worker config does not"
        + " grant it (add " + tool + " to secrets." + variable + ".tools)");
  }

  /** Why {@code provider} may not read the secret, or empty when it may. */
  public Optional<String> refuseForProvider(String reference, String provider) {
    String variable = variableOf(reference);
    Grant grant = grants.get(variable);
    if (grant != null && grant.providers().contains(provider)) {
      return Optional.empty();
    }
    return Optional.of("provider '" + provider + "' may not read the secret " + variable + ": the worker config"
        + " does not grant it (add " + provider + " to secrets." + variable + ".providers)");
  }

  /** Whether the secret may only go to the hosts its grant names. */
  public boolean hostRestricted(String reference) {
    Grant grant = grants.get(variableOf(reference));
    return grant != null && !grant.hosts().isEmpty();
  }

  /** Why a tool may not send the secret to {@code host}, or empty when it may (no hosts: any host). */
  public Optional<String> refuseToolHost(String reference, String host) {
    String variable = variableOf(reference);
    Grant grant = grants.get(variable);
    if (grant == null || grant.hosts().isEmpty() || matches(grant, host)) {
      return Optional.empty();
    }
    return Optional.of("the secret " + variable + " may be sent only to " + texts(grant) + ", not to " + host
        + " (secrets." + variable + ".hosts)");
  }

  /**
   * Why a provider may not send the secret to a model endpoint written in a definition at {@code
   * host}, or empty when the grant's hosts name it. With no hosts, a provider secret goes only to the
   * operator's endpoint.
   */
  public Optional<String> refuseDefinitionEndpoint(String reference, String host) {
    String variable = variableOf(reference);
    Grant grant = grants.get(variable);
    if (grant != null && matches(grant, host)) {
      return Optional.empty();
    }
    List<String> named = grant == null ? List.of() : texts(grant);
    return Optional.of("the secret " + variable + " goes to a model baseUrl written in a definition only when"
        + " secrets." + variable + ".hosts names its host; " + host + " is not named (hosts: " + named + ")");
  }

  private static boolean matches(Grant grant, String host) {
    java.net.InetAddress literal;
    try {
      literal = dev.agentflow.dsl.egress.IpLiterals.parse(host).orElse(null);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return grant.hosts().stream().anyMatch(rule -> rule.matches(host, literal));
  }

  private static List<String> texts(Grant grant) {
    return grant.hosts().stream().map(HostRule::text).toList();
  }
}
