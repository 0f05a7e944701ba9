package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The worker's egress rules: where tools and model endpoints written in definitions may connect.
 * For a connection to {@code host} (as in the URL) at {@code address} (what it resolved to), the
 * first rule that applies decides:
 *
 * <ol>
 *   <li>an {@code egress.deny} entry matches the host or the address: refused;
 *   <li>the definition narrows ({@code egress.allow} in the graph) and none of its entries match:
 *       refused;
 *   <li>an {@code egress.allow} entry of the worker matches the host or the address: allowed (this is
 *       the only way to reach a special range, e.g. {@code 127.0.0.1/32} for a local stub);
 *   <li>the address is in a {@link SpecialRanges special range}: refused;
 *   <li>{@code egress.publicInternet} is false: refused;
 *   <li>otherwise (a public address): allowed.
 * </ol>
 *
 * @param allow worker allow entries
 * @param deny worker deny entries; they win over everything
 * @param publicInternet whether public addresses not named by {@code allow} are reachable
 */
public record EgressPolicy(List<HostRule> allow, List<HostRule> deny, boolean publicInternet) {

  public EgressPolicy {
    allow = List.copyOf(allow);
    deny = List.copyOf(deny);
  }

  /** No allow or deny entries: every public address, no special range. */
  public static EgressPolicy defaults() {
    return new EgressPolicy(List.of(), List.of(), true);
  }

  /**
   * Parses the config's lists.
   *
   * @throws IllegalArgumentException naming the first bad entry ({@code egress.allow[2]: …})
   */
  public static EgressPolicy of(List<String> allow, List<String> deny, boolean publicInternet) {
    return new EgressPolicy(parse("egress.allow", allow), parse("egress.deny", deny), publicInternet);
  }

  private static List<HostRule> parse(String key, List<String> entries) {
    List<HostRule> rules = new ArrayList<>();
    if (entries != null) {
      for (int i = 0; i < entries.size(); i++) {
        try {
          rules.add(HostRule.parse(entries.get(i)));
        } catch (IllegalArgumentException e) {
          throw new IllegalArgumentException(key + "[" + i + "]: " + e.getMessage());
        }
      }
    }
    return rules;
  }

  /**
   * What can be decided from the name alone, before any DNS lookup: a deny entry naming the host,
   * or a definition allow list that cannot match it.
   *
   * @return why the host is refused, or empty when it may be resolved
   */
  public Optional<String> refuseHost(String host, EgressNarrowing narrowing) {
    for (HostRule rule : deny) {
      if (rule.matches(host, null)) {
        return Optional.of("the worker's egress.deny entry '" + rule.text() + "' names " + host);
      }
    }
    if (!narrowing.mayPermit(host)) {
      return Optional.of(host + " is not in the definition's egress.allow " + narrowing.texts());
    }
    return Optional.empty();
  }

  /**
   * The decision for one resolved address.
   *
   * @return why the connection is refused, or empty when it is allowed
   */
  public Optional<String> refuse(String host, InetAddress address, EgressNarrowing narrowing) {
    String where = describe(host, address);
    for (HostRule rule : deny) {
      if (rule.matches(host, address)) {
        return Optional.of(where + ": the worker's egress.deny entry '" + rule.text() + "' matches");
      }
    }
    if (!narrowing.permits(host, address)) {
      return Optional.of(where + " is not in the definition's egress.allow " + narrowing.texts());
    }
    for (HostRule rule : allow) {
      if (rule.matches(host, address)) {
        return Optional.empty();
      }
    }
    Optional<String> special = SpecialRanges.classify(address);
    if (special.isPresent()) {
      return Optional.of(where + " is in a refused range (" + special.get() + "); a worker egress.allow entry"
          + " naming it (e.g. " + address.getHostAddress() + (address.getAddress().length == 4 ? "/32" : "/128")
          + ", or AGENTFLOW_EGRESS_ALLOW) would allow it");
    }
    if (!publicInternet) {
      return Optional.of(where + " is not in the worker's egress.allow (egress.publicInternet is false)");
    }
    return Optional.empty();
  }

  private static String describe(String host, InetAddress address) {
    String ip = address.getHostAddress();
    return host == null || host.equalsIgnoreCase(ip) || host.equals("[" + ip + "]") ? ip : host + " (" + ip + ")";
  }
}
