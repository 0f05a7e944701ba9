package dev.agentflow.dsl;

import java.util.List;

/**
 * A definition's {@code egress}: the only hosts its tools and model endpoints may reach. It narrows
 * the worker's egress policy and never widens it; child graphs run under it (an inline child
 * inherits it, a {@code path:} child without its own inherits it, and one with its own must stay
 * inside it).
 *
 * @param allow host patterns and CIDRs, as written (see {@link dev.agentflow.dsl.egress.HostRule})
 */
public record Egress(List<String> allow) {

  public Egress {
    allow = List.copyOf(allow);
  }
}
