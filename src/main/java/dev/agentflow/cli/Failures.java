package dev.agentflow.cli;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.ChildWorkflowFailure;
import io.temporal.failure.TemporalFailure;

/**
 * Turns a failure chain into one or two readable lines: for a run, the activity or child run it
 * happened in and the type and message of the root cause; for anything else, the message and the
 * root cause's message. The full chain goes to the log file.
 */
final class Failures {

  private Failures() {}

  static String describe(Throwable failure) {
    Throwable current = failure;
    StringBuilder text = new StringBuilder();
    while (current != null) {
      if (current instanceof ApplicationFailure application) {
        text.append("[").append(application.getType()).append("] ").append(firstLine(application.getOriginalMessage()));
        return text.toString();
      }
      if (current instanceof ActivityFailure activity) {
        text.append("activity ").append(activity.getActivityType()).append(": ");
      } else if (current instanceof ChildWorkflowFailure child) {
        text.append("child run ").append(child.getExecution().getWorkflowId()).append(": ");
      } else if (current instanceof TemporalFailure temporal && current.getCause() == null) {
        text.append(firstLine(temporal.getOriginalMessage()));
      }
      current = current.getCause();
    }
    return text.length() > 0 ? text.toString() : chain(failure);
  }

  /** "message" or "message\n  cause: root message", each the first line only. */
  static String chain(Throwable failure) {
    String first = message(failure);
    Throwable root = failure;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String rootMessage = message(root);
    if (root == failure || first.contains(rootMessage)) {
      return first;
    }
    return first + "\n  cause: " + rootMessage;
  }

  private static String message(Throwable failure) {
    String message = failure.getMessage();
    return message == null || message.isBlank() ? failure.getClass().getSimpleName() : firstLine(message);
  }

  private static String firstLine(String text) {
    return text == null ? "" : text.lines().findFirst().orElse(text);
  }
}
