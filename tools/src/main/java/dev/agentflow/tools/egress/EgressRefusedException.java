package dev.agentflow.tools.egress;

import java.net.UnknownHostException;

/**
 * The egress policy refused a connection. An {@link UnknownHostException}, so it can leave OkHttp's
 * {@code Dns} hook and socket connect unchanged; callers find it in the cause chain and report it as
 * the non-retryable {@value #TYPE}.
 */
public final class EgressRefusedException extends UnknownHostException {

  private static final long serialVersionUID = 1L;

  /** The failure type callers report (a Temporal {@code ApplicationFailure} type). */
  public static final String TYPE = "EgressRefused";

  public EgressRefusedException(String message) {
    super(message);
  }

  /** The refusal in {@code failure}'s cause chain (or suppressed exceptions), or null. */
  public static EgressRefusedException find(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof EgressRefusedException refused) {
        return refused;
      }
      for (Throwable suppressed : t.getSuppressed()) {
        if (suppressed instanceof EgressRefusedException refused) {
          return refused;
        }
      }
    }
    return null;
  }
}
