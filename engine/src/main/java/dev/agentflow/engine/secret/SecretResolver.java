package dev.agentflow.engine.secret;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Resolves secret references such as {@code env:OPENAI_API_KEY} inside activities, so that
 * definitions, workflow inputs and histories only ever carry the reference, never the value.
 *
 * <p>It reads any variable: who may read which is {@link SecretPolicy}'s decision, taken before
 * (tools get a {@link ToolSecrets}, providers check the policy first).
 *
 * <p>Only the {@code env:} scheme exists today. Error messages name the reference, never a value:
 * a reference that is not one (somebody pasted the key itself) is reported without echoing it.
 */
public final class SecretResolver {

  private static final String ENV_PREFIX = "env:";

  private final Map<String, String> environment;

  /** A resolver over an explicit environment; tests use this instead of the process environment. */
  public SecretResolver(Map<String, String> environment) {
    this.environment = Map.copyOf(environment);
  }

  /** A resolver over the worker process's environment variables. */
  public static SecretResolver fromEnvironment() {
    return new SecretResolver(System.getenv());
  }

  /**
   * The secret's value, or empty when the variable is unset or blank.
   *
   * @throws IllegalArgumentException when {@code reference} is not a supported secret reference
   */
  public Optional<String> resolve(String reference) {
    Objects.requireNonNull(reference, "reference");
    if (!reference.startsWith(ENV_PREFIX) || reference.length() == ENV_PREFIX.length()) {
      throw new IllegalArgumentException(
          "not a secret reference (expected env:NAME); the value is not shown in case it is a secret");
    }
    String value = environment.get(reference.substring(ENV_PREFIX.length()));
    return value == null || value.isBlank() ? Optional.empty() : Optional.of(value);
  }

  /**
   * A plain setting from the same environment (e.g. {@code OPENAI_BASE_URL}), or null when unset;
   * never use it for a secret.
   */
  public String setting(String name) {
    String value = environment.get(name);
    return value == null || value.isBlank() ? null : value;
  }

  /** Whether {@code reference} is a well-formed reference that is set. */
  public boolean isSet(String reference) {
    try {
      return resolve(reference).isPresent();
    } catch (IllegalArgumentException e) {
      return false;
    }
  }
}
