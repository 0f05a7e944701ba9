package dev.agentflow.dsl;

/** What a model costs, in US dollars per million tokens. */
public record Price(double inputPerMillion, double outputPerMillion) {

  public double costUsd(long inputTokens, long outputTokens) {
    return (inputTokens * inputPerMillion + outputTokens * outputPerMillion) / 1_000_000.0;
  }
}
