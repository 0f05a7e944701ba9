package dev.agentflow.engine.workflow;

/**
 * Options of one run.
 *
 * @param sourceName where the definition came from, used in error messages (e.g. the file path);
 *     null for "&lt;definition&gt;"
 * @param maxSteps bound on node executions in one run, a guard against runaway graphs; null or 0
 *     for the default
 */
public record RunOptions(String sourceName, Integer maxSteps) {

  public static final int DEFAULT_MAX_STEPS = 1000;

  public static RunOptions defaults() {
    return new RunOptions(null, null);
  }

  public int effectiveMaxSteps() {
    return maxSteps == null || maxSteps <= 0 ? DEFAULT_MAX_STEPS : maxSteps;
  }

  public String effectiveSourceName() {
    return sourceName == null || sourceName.isBlank() ? "<definition>" : sourceName;
  }
}
