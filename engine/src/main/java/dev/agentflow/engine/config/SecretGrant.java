package dev.agentflow.engine.config;

import dev.agentflow.dsl.egress.HostRule;
import java.util.List;

/**
 * Who may read one environment variable as a secret ({@code secrets.<NAME>} in the engine config),
 * and where it may be sent.
 *
 * @param tools tools that may read it (in a definition's {@code tool} node arguments)
 * @param providers model providers that may read it (a model's {@code apiKey})
 * @param hosts host patterns and CIDRs it may be sent to; empty means any host the egress policy
 *     allows for tools, and only the operator's own endpoint for providers
 */
public record SecretGrant(List<String> tools, List<String> providers, List<String> hosts) {

  public SecretGrant {
    tools = tools == null ? List.of() : List.copyOf(tools);
    providers = providers == null ? List.of() : List.copyOf(providers);
    hosts = hosts == null ? List.of() : List.copyOf(hosts);
    for (int i = 0; i < hosts.size(); i++) {
      try {
        HostRule.parse(hosts.get(i));
      } catch (IllegalArgumentException e) {
        throw new IllegalArgumentException("hosts[" + i + "]: " + e.getMessage());
      }
    }
  }
}
