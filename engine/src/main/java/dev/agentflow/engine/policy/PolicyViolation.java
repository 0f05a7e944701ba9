package dev.agentflow.engine.policy;

/**
 * One thing a definition asks that the worker does not allow.
 *
 * @param type {@code SecretNotAllowed} or {@code EgressRefused}
 * @param message which variable or endpoint, where in the definition, and the config key that would
 *     allow it; never a secret's value
 */
public record PolicyViolation(String type, String message) {

  @Override
  public String toString() {
    return type + ": " + message;
  }
}
