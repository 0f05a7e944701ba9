package dev.agentflow.engine.workflow;

/**
 * What a run that did not succeed tells its parent: what it spent, and whether it failed because
 * it used up the budget slice the parent gave it. A failed run carries it in its failure's
 * details; a cancelled run, whose cancellation carries no details, signals it to its parent
 * ({@link ChildReportListener#SIGNAL}) before it ends. A successful run's {@link RunResult} says the same.
 *
 * @param workflowId the reporting run's workflow id
 * @param usage tokens and cost it spent, its own children included
 * @param parentLimitExceeded true when it failed on the slice its parent gave it
 */
public record ChildReport(String workflowId, UsageSummary usage, boolean parentLimitExceeded) {}
