package dev.agentflow.engine.config;

/**
 * The tool activity worker: tools run on their own task queue so slow tools never take the slots
 * of LLM calls, and the other way round.
 *
 * @param maxConcurrent activity slots of the tool worker (per worker process)
 */
public record ToolsConfig(int maxConcurrent) {

  public static final int DEFAULT_MAX_CONCURRENT = 100;

  public ToolsConfig {
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
    }
  }
}
