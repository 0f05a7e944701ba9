package dev.agentflow.tools;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.EgressNarrowing;
import dev.agentflow.tools.egress.EgressSession;
import java.time.Duration;
import java.util.Optional;

/**
 * Everything a tool gets for one call: its arguments, a way to resolve secrets by name, the limits
 * it must respect, and the network as the worker allows it. One object, so the SPI stays narrow as
 * tools need more.
 *
 * @param arguments the call's arguments (a JSON object)
 * @param secrets resolves references such as {@code env:API_TOKEN} for this tool and this call; never
 *     log what it returns
 * @param timeout how long the call may take before the activity is timed out
 * @param maxResultBytes the largest result the tool should produce
 * @param egress the only way a tool should open a connection: URLs checked against the worker's
 *     egress policy and the definition's narrowing, and a client that connects only to checked
 *     addresses
 */
public record ToolContext(
    JsonNode arguments, SecretResolver secrets, Duration timeout, long maxResultBytes, EgressSession egress) {

  /** A context on the default egress policy (public addresses only), for tools run outside a worker. */
  public ToolContext(JsonNode arguments, SecretResolver secrets, Duration timeout, long maxResultBytes) {
    this(arguments, secrets, timeout, maxResultBytes, Egress.standard().session(EgressNarrowing.NONE));
  }

  public ToolContext {
    egress = egress == null ? Egress.standard().session(EgressNarrowing.NONE) : egress;
  }

  /**
   * Resolves secret references for one tool call. The worker decides which secrets a tool may read
   * and where they may be sent; a refusal is a non-retryable {@link ToolException} of type {@code
   * SecretNotAllowed} naming the variable and the config key that would allow it.
   */
  @FunctionalInterface
  public interface SecretResolver {

    /**
     * The secret's value; empty when it is not set.
     *
     * @throws ToolException when this tool may not read it (or may send it only to named hosts: use
     *     {@link #resolveFor})
     */
    Optional<String> resolve(String reference) throws ToolException;

    /**
     * The secret's value, to be sent to {@code host} (as in the URL); empty when it is not set.
     *
     * @throws ToolException when this tool may not read it or may not send it to that host
     */
    default Optional<String> resolveFor(String reference, String host) throws ToolException {
      return resolve(reference);
    }
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
