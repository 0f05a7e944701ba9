package dev.agentflow.engine.workflow;

/**
 * What the checks at the start of a run decided: valid, or the non-retryable failure the run ends
 * with. Recorded in the run's history (a side-effect marker), so a replay reads the decision
 * instead of running the checks again.
 *
 * @param failureType null when valid, else {@link FailureTypes#INVALID_DEFINITION} or {@link
 *     FailureTypes#INVALID_INPUT} (or another stable type of a custom {@link StartValidator})
 * @param message what is wrong, with every problem and where it is; null when valid
 */
public record StartVerdict(String failureType, String message) {

  public static final StartVerdict VALID = new StartVerdict(null, null);

  public static StartVerdict rejected(String failureType, String message) {
    return new StartVerdict(failureType, message);
  }

  public boolean valid() {
    return failureType == null;
  }
}
