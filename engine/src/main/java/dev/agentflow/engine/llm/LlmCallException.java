package dev.agentflow.engine.llm;

import java.time.Duration;
import java.util.Optional;

/**
 * A model call failed, classified once into a stable {@link LlmErrorTypes type}, whether retrying
 * can help, and (for rate limits) how long to wait. The activity maps it onto a Temporal failure;
 * nothing downstream looks at provider-specific exceptions.
 *
 * <p>Messages must never contain secrets: providers redact before they construct one, and no
 * provider exception is attached as a cause.
 */
public class LlmCallException extends RuntimeException {

  private final String type;
  private final boolean retryable;
  private final Duration retryAfter;
  private BilledCall billed;

  public LlmCallException(String type, String message, boolean retryable, Duration retryAfter) {
    super(message);
    this.type = type;
    this.retryable = retryable;
    this.retryAfter = retryAfter;
  }

  public static LlmCallException rateLimited(String message, Duration retryAfter) {
    return new LlmCallException(LlmErrorTypes.RATE_LIMITED, message, true, retryAfter);
  }

  public static LlmCallException providerUnavailable(String message) {
    return new LlmCallException(LlmErrorTypes.PROVIDER_UNAVAILABLE, message, true, null);
  }

  public static LlmCallException contentFilter(String message) {
    return new LlmCallException(LlmErrorTypes.CONTENT_FILTER, message, false, null);
  }

  public static LlmCallException invalidPrompt(String message) {
    return new LlmCallException(LlmErrorTypes.INVALID_PROMPT, message, false, null);
  }

  public static LlmCallException authentication(String message) {
    return new LlmCallException(LlmErrorTypes.AUTHENTICATION, message, false, null);
  }

  public static LlmCallException modelNotFound(String message) {
    return new LlmCallException(LlmErrorTypes.MODEL_NOT_FOUND, message, false, null);
  }

  public static LlmCallException outputSchemaMismatch(String message) {
    return new LlmCallException(LlmErrorTypes.OUTPUT_SCHEMA_MISMATCH, message, true, null);
  }

  public static LlmCallException offlineScriptMissing(String message) {
    return new LlmCallException(LlmErrorTypes.OFFLINE_SCRIPT_MISSING, message, false, null);
  }

  public static LlmCallException unknownTool(String message) {
    return new LlmCallException(LlmErrorTypes.UNKNOWN_TOOL, message, false, null);
  }

  public static LlmCallException unknownProvider(String message) {
    return new LlmCallException(LlmErrorTypes.UNKNOWN_PROVIDER, message, false, null);
  }

  public static LlmCallException egressRefused(String message) {
    return new LlmCallException(LlmErrorTypes.EGRESS_REFUSED, message, false, null);
  }

  public static LlmCallException secretNotAllowed(String message) {
    return new LlmCallException(LlmErrorTypes.SECRET_NOT_ALLOWED, message, false, null);
  }

  /** Records that the provider answered (and billed) the call this exception fails. */
  public LlmCallException billed(BilledCall call) {
    this.billed = call;
    return this;
  }

  /** What the provider billed for the failed call, when it answered. */
  public Optional<BilledCall> billedCall() {
    return Optional.ofNullable(billed);
  }

  /** Stable error type, used as the Temporal failure type. */
  public String type() {
    return type;
  }

  public boolean retryable() {
    return retryable;
  }

  /** How long the provider asked us to wait before the next attempt, when it said. */
  public Optional<Duration> retryAfter() {
    return Optional.ofNullable(retryAfter);
  }
}
