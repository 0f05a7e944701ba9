package dev.agentflow.engine.config;

import java.util.List;

/**
 * One LLM activity pool: a task queue of its own, served by a worker with at most {@code
 * maxConcurrent} calls in flight and, when {@code ratePerSecond} is above 0, a server-side limit on
 * how many calls the whole cluster starts per second on that queue. "1000 agents, 50 concurrent LLM
 * calls" is this record, not code.
 *
 * @param maxConcurrent activity slots of this pool's worker (per worker process)
 * @param ratePerSecond calls started per second across every worker of the queue; 0 = unlimited
 * @param models the provider model names this pool is meant for; informational today, because the
 *     workflow picks the pool from the model's provider (see {@link TaskQueues#poolOf})
 * @param maxTokensPerMinute tokens (prompt + completion) the pool's calls may use in any 60-second
 *     window across every worker of the deployment; 0 = unlimited (see {@code
 *     dev.agentflow.engine.llm.admission})
 * @param maxRequestsPerMinute calls the pool may send in any 60-second window across every worker;
 *     0 = unlimited
 */
public record PoolConfig(
    int maxConcurrent, double ratePerSecond, List<String> models, long maxTokensPerMinute, int maxRequestsPerMinute) {

  public static final int DEFAULT_MAX_CONCURRENT = 50;

  public PoolConfig {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
    }
    if (ratePerSecond < 0 || Double.isNaN(ratePerSecond)) {
      throw new IllegalArgumentException("ratePerSecond must be 0 (unlimited) or more, was " + ratePerSecond);
    }
    models = models == null ? List.of() : List.copyOf(models);
    if (maxTokensPerMinute < 0) {
      throw new IllegalArgumentException("maxTokensPerMinute must be 0 (unlimited) or more, was " + maxTokensPerMinute);
    }
    if (maxRequestsPerMinute < 0) {
      throw new IllegalArgumentException(
          "maxRequestsPerMinute must be 0 (unlimited) or more, was " + maxRequestsPerMinute);
    }
  }

  /** A pool without token or request limits per minute. */
  public PoolConfig(int maxConcurrent, double ratePerSecond, List<String> models) {
    this(maxConcurrent, ratePerSecond, models, 0, 0);
  }

  /** Whether calls of this pool go through admission (a per-minute token or request limit is set). */
  public boolean admitsByMinute() {
    return maxTokensPerMinute > 0 || maxRequestsPerMinute > 0;
  }

  /** 50 slots, no rate limit. */
  public static PoolConfig standard() {
    return new PoolConfig(DEFAULT_MAX_CONCURRENT, 0, List.of());
  }
}
