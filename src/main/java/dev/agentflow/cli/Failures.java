package dev.agentflow.cli;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;

/** Turns a run's failure chain into one readable line: type and message of the root cause. */
final class Failures {

  private Failures() {}

  static String describe(Throwable failure) {
    Throwable current = failure;
    StringBuilder text = new StringBuilder();
    while (current != null) {
      if (current instanceof ApplicationFailure application) {
        text.append("[").append(application.getType()).append("] ").append(application.getOriginalMessage());
        return text.toString();
      }
      if (current instanceof ActivityFailure activity) {
        text.append("activity ").append(activity.getActivityType()).append(": ");
      } else if (current instanceof TemporalFailure temporal && current.getCause() == null) {
        text.append(temporal.getOriginalMessage());
      }
      current = current.getCause();
    }
    return text.length() > 0 ? text.toString() : String.valueOf(failure);
  }
}
