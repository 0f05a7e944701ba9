package dev.agentflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a tool gets for one call: its arguments, a way to resolve secrets by name, and the
 * limits it must respect. One object, so the SPI stays narrow as tools need more.
 *
 * @param arguments the call's arguments (a JSON object)
 * @param secrets resolves references such as {@code env:API_TOKEN}; never log what it returns
 * @param timeout how long the call may take before the activity is timed out
 * @param maxResultBytes the largest result the tool should produce
 */
public record ToolContext(JsonNode arguments, SecretResolver secrets, Duration timeout, long maxResultBytes) {

  /** Resolves a secret reference; empty when it is not set. */
  @FunctionalInterface
  public interface SecretResolver {
    Optional<String> resolve(String reference);
  }

  /** A required string argument, or a {@link ToolException} naming it. */
  public String requiredString(String name) throws ToolException {
    JsonNode value = arguments == null ? null : arguments.get(name);
    if (value == null || !value.isTextual()) {
      throw ToolException.invalidArguments("argument '" + name + "' must be a string");
    }
    return value.asText();
  }
}
