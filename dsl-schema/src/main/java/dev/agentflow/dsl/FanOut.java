package dev.agentflow.dsl;

import java.time.Duration;

/**
 * How a {@code parallel} or {@code map} node runs its children.
 *
 * @param maxConcurrency children in flight at once (default 10)
 * @param join when the node is done
 * @param timeout after which the remaining children are cancelled, or null for none
 * @param onTimeout node to go to on timeout (with the partial results), or null to fail
 * @param onBranchError {@code fail} (the node fails on the first failed branch) or {@code collect}
 *     (failures are recorded in the output and the join counts only successes)
 */
public record FanOut(int maxConcurrency, Join join, Duration timeout, String onTimeout, String onBranchError) {

  public static final int DEFAULT_MAX_CONCURRENCY = 10;

  public boolean collectErrors() {
    return "collect".equals(onBranchError);
  }
}
