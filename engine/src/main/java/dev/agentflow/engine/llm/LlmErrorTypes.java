package dev.agentflow.engine.llm;

import java.util.List;

/**
 * The stable failure types of an LLM call. They become Temporal {@code ApplicationFailure} types, so
 * definitions can name them in {@code retry.nonRetryable} and recorded histories depend on them:
 * never rename one.
 */
public final class LlmErrorTypes {

  /** HTTP 429; retried after the provider's Retry-After. */
  public static final String RATE_LIMITED = "RateLimited";
  /** 5xx, connection failures and timeouts; retried. */
  public static final String PROVIDER_UNAVAILABLE = "ProviderUnavailable";
  /** The provider refused the prompt or the reply for policy reasons; never retried. */
  public static final String CONTENT_FILTER = "ContentFilterError";
  /** Any other 4xx the provider blames on the request; never retried. */
  public static final String INVALID_PROMPT = "InvalidPromptError";
  /** 401/403, or the API key secret is not set; never retried. */
  public static final String AUTHENTICATION = "AuthenticationError";
  /** 404: the model (or endpoint) does not exist; never retried. */
  public static final String MODEL_NOT_FOUND = "ModelNotFound";
  /** The reply did not validate against the node's output schema; retried (models vary). */
  public static final String OUTPUT_SCHEMA_MISMATCH = "OutputSchemaMismatch";
  /** The offline script has no reply for the node; never retried. */
  public static final String OFFLINE_SCRIPT_MISSING = "OfflineScriptMissing";
  /** The request names a tool the worker does not have; never retried. */
  public static final String UNKNOWN_TOOL = "UnknownTool";
  /** The model names a provider the worker does not have; never retried. */
  public static final String UNKNOWN_PROVIDER = "UnknownProvider";

  /**
   * The model endpoint a definition wrote is outside the worker's egress policy (or the
   * definition's narrowing); never retried. Thrown non-retryable, so it is not in {@link
   * #NON_RETRYABLE} (which recorded activity options carry).
   */
  public static final String EGRESS_REFUSED = "EgressRefused";
  /** The model's {@code apiKey} names a secret the worker does not grant to its provider (or host); never retried. */
  public static final String SECRET_NOT_ALLOWED = "SecretNotAllowed";

  /** Types that retrying cannot fix, whatever a definition's retry policy says. */
  public static final List<String> NON_RETRYABLE =
      List.of(
          CONTENT_FILTER,
          INVALID_PROMPT,
          AUTHENTICATION,
          MODEL_NOT_FOUND,
          UNKNOWN_TOOL,
          OFFLINE_SCRIPT_MISSING,
          UNKNOWN_PROVIDER);

  private LlmErrorTypes() {}
}
