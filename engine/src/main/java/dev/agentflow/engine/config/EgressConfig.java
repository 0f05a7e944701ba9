package dev.agentflow.engine.config;

import dev.agentflow.tools.egress.EgressPolicy;
import java.util.List;

/**
 * Where tools and model endpoints written in definitions may connect ({@code egress:} in the engine
 * config). See {@link EgressPolicy} for the order in which the rules decide.
 *
 * @param allow CIDRs ({@code 10.0.0.0/8}, {@code 127.0.0.1/32}) and host patterns ({@code
 *     api.github.com}, {@code *.github.com}) that are reachable, special ranges included;
 *     {@code AGENTFLOW_EGRESS_ALLOW} (comma-separated) replaces the list
 * @param deny entries that are never reachable; they win over {@code allow}
 * @param publicInternet whether public addresses that {@code allow} does not name are reachable
 */
public record EgressConfig(List<String> allow, List<String> deny, Boolean publicInternet) {

  public EgressConfig {
    allow = allow == null ? List.of() : List.copyOf(allow);
    deny = deny == null ? List.of() : List.copyOf(deny);
    publicInternet = publicInternet == null ? Boolean.TRUE : publicInternet;
    policy(allow, deny, publicInternet); // every entry must parse
  }

  /** Nothing allowed beyond public addresses, nothing denied. */
  public static EgressConfig standard() {
    return new EgressConfig(List.of(), List.of(), true);
  }

  /** The rules as a policy. */
  public EgressPolicy toPolicy() {
    return policy(allow, deny, publicInternet);
  }

  private static EgressPolicy policy(List<String> allow, List<String> deny, boolean publicInternet) {
    return EgressPolicy.of(allow, deny, publicInternet);
  }
}
