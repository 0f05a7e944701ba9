package dev.agentflow.engine.config;

/**
 * What a provider charges for one model, so budgets can be kept in money as well as tokens.
 *
 * @param input USD per million input tokens
 * @param output USD per million output tokens
 */
public record ModelPrice(double input, double output) {

  public ModelPrice {
    if (input < 0 || output < 0) {
      throw new IllegalArgumentException("prices must be 0 or more, were " + input + " / " + output);
    }
  }

  /** The cost in USD of a call with these token counts. */
  public double costUsd(long inputTokens, long outputTokens) {
    return (inputTokens * input + outputTokens * output) / 1_000_000.0;
  }
}
