package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.Budget;

/**
 * Options of one run.
 *
 * @param sourceName where the definition came from, used in error messages (e.g. the file path);
 *     null for "&lt;definition&gt;"
 * @param maxSteps bound on node executions in one run, a guard against runaway graphs; null or 0
 *     for the default
 * @param budgetLimit a cap set by a parent run on this (child) run, on top of the definition's own
 *     budget: a child never gets more than its parent's remaining budget; null for none
 * @param continueAsNewAfterEvents continue as new once the history has this many events, on top
 *     of whenever Temporal suggests it; null or 0 to follow Temporal's suggestion only
 */
public record RunOptions(String sourceName, Integer maxSteps, Budget budgetLimit, Integer continueAsNewAfterEvents) {

  public RunOptions(String sourceName, Integer maxSteps) {
    this(sourceName, maxSteps, null, null);
  }

  public RunOptions(String sourceName, Integer maxSteps, Budget budgetLimit) {
    this(sourceName, maxSteps, budgetLimit, null);
  }

  public static final int DEFAULT_MAX_STEPS = 1000;

  /** These options with another source name. */
  public RunOptions withSourceName(String name) {
    return new RunOptions(name, maxSteps, budgetLimit, continueAsNewAfterEvents);
  }

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
