package dev.agentflow.engine.config;

import java.util.Locale;

/**
 * The workflow worker's capacity. A run whose workflow is evicted from the cache is replayed from
 * its whole history on its next task, so the cache (and the threads that back it) must hold every
 * run that is in progress at once: for 1,000 concurrent runs, a cache of at least 1,000.
 *
 * @param maxConcurrentTasks workflow tasks processed at the same time (per worker process)
 * @param cacheSize workflows kept in memory between their tasks (per worker process)
 * @param maxThreads workflow threads; each cached run holds at least one (platform threads only)
 * @param virtualThreads {@code auto} (virtual workflow threads when the JVM is 21 or newer),
 *     {@code true} (require them) or {@code false}
 */
public record WorkflowsConfig(int maxConcurrentTasks, int cacheSize, int maxThreads, String virtualThreads) {

  public static final String AUTO = "auto";

  public WorkflowsConfig {
    if (maxConcurrentTasks < 1) {
      throw new IllegalArgumentException("maxConcurrentTasks must be at least 1, was " + maxConcurrentTasks);
    }
    if (cacheSize < 0) {
      throw new IllegalArgumentException("cacheSize must be 0 or more, was " + cacheSize);
    }
    if (maxThreads < 1) {
      throw new IllegalArgumentException("maxThreads must be at least 1, was " + maxThreads);
    }
    virtualThreads = virtualThreads == null ? AUTO : virtualThreads.trim().toLowerCase(Locale.ROOT);
    if (!virtualThreads.equals(AUTO) && !virtualThreads.equals("true") && !virtualThreads.equals("false")) {
      throw new IllegalArgumentException("virtualThreads must be auto, true or false, was '" + virtualThreads + "'");
    }
  }

  /** 200 task slots, a cache of 2,000 runs, 4,000 threads, virtual threads where available. */
  public static WorkflowsConfig standard() {
    return new WorkflowsConfig(200, 2000, 4000, AUTO);
  }

  /**
   * Whether workflow threads are virtual on a JVM of this feature version.
   *
   * @throws IllegalStateException when {@code virtualThreads: true} on a JVM older than 21
   */
  public boolean useVirtualThreads(int javaFeatureVersion) {
    boolean available = javaFeatureVersion >= 21;
    if (virtualThreads.equals("true") && !available) {
      throw new IllegalStateException(
          "workflows.virtualThreads is true but this JVM is Java " + javaFeatureVersion + "; virtual threads need 21+");
    }
    return available && !virtualThreads.equals("false");
  }
}
