package dev.agentflow.tools;

/**
 * A tool failed. {@link #retryable()} tells the engine whether trying again could help (a timeout
 * or a 503) or not (bad arguments, a 404).
 */
public class ToolException extends Exception {

  private final String type;
  private final boolean retryable;

  public ToolException(String type, String message, boolean retryable, Throwable cause) {
    super(message, cause);
    this.type = type;
    this.retryable = retryable;
  }

  public static ToolException invalidArguments(String message) {
    return new ToolException("InvalidToolArguments", message, false, null);
  }

  public static ToolException retryable(String type, String message, Throwable cause) {
    return new ToolException(type, message, true, cause);
  }

  public static ToolException nonRetryable(String type, String message, Throwable cause) {
    return new ToolException(type, message, false, cause);
  }

  /** Stable error type, used as the Temporal failure type. */
  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }
}
