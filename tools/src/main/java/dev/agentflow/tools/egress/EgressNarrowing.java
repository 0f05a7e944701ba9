package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;

/**
 * A definition's {@code egress.allow}: the only hosts its tools and model endpoints may reach. It
 * can only narrow the worker's policy, never widen it: a connection must pass both.
 *
 * @param allow the entries, or null when the definition does not narrow
 */
public record EgressNarrowing(List<HostRule> allow) {

  /** No narrowing: the worker's policy alone decides. */
  public static final EgressNarrowing NONE = new EgressNarrowing(null);

  public EgressNarrowing {
    allow = allow == null ? null : List.copyOf(allow);
  }

  /**
   * The narrowing a request carries ({@code null} for none).
   *
   * @throws IllegalArgumentException naming the first bad entry
   */
  public static EgressNarrowing of(List<String> entries) {
    if (entries == null) {
      return NONE;
    }
    List<HostRule> rules = new ArrayList<>();
    for (int i = 0; i < entries.size(); i++) {
      try {
        rules.add(HostRule.parse(entries.get(i)));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("egress.allow[" + i + "]: " + e.getMessage());
      }
    }
    return new EgressNarrowing(rules);
  }

  public boolean narrows() {
    return allow != null;
  }

  /** Whether a connection to {@code host} at {@code address} (null: not resolved yet) is inside. */
  boolean permits(String host, InetAddress address) {
    return allow == null || allow.stream().anyMatch(rule -> rule.matches(host, address));
  }

  /** Whether some entry could still permit {@code host} once it is resolved. */
  boolean mayPermit(String host) {
    return allow == null
        || allow.stream().anyMatch(rule -> rule instanceof HostRule.Cidr || rule.matches(host, null));
  }

  /** The entries as written, for messages. */
  List<String> texts() {
    return allow == null ? List.of() : allow.stream().map(HostRule::text).toList();
  }
}
