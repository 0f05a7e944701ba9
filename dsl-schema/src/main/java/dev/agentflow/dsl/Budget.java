package dev.agentflow.dsl;

/**
 * A spending limit, for a whole run or one node. Checked before each model call (reserving the
 * call's {@code maxTokens}) and after it.
 *
 * @param maxTokens input + output tokens, or null for no token limit
 * @param maxCostUsd cost in US dollars (from the price table), or null for no cost limit
 * @param onExceed what to do when the limit is hit
 */
public record Budget(Long maxTokens, Double maxCostUsd, OnExceed onExceed) {

  /**
   * @param action {@code fail} (non-retryable BudgetExceeded), {@code route} (go to {@code target})
   *     or {@code ask} (wait for the signal named {@code target} to raise the budget or stop)
   * @param target node id for route, signal name for ask, null for fail
   */
  public record OnExceed(String action, String target) {

    public static final OnExceed FAIL = new OnExceed("fail", null);
  }
}
