package dev.agentflow.engine.secret;

import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The secrets one tool call may read: those the worker grants to that tool, sent only where the
 * grant allows, and none at all when the arguments came from a model. Remembers what it handed out,
 * so the activity can keep those values out of the result and of error messages.
 */
public final class ToolSecrets implements ToolContext.SecretResolver {

  private final SecretResolver environment;
  private final SecretPolicy policy;
  private final String tool;
  private final boolean fromModel;
  private final List<String> handedOut = new CopyOnWriteArrayList<>();

  /**
   * @param fromModel whether the call's arguments were written by a model (then no secret is readable)
   */
  public ToolSecrets(SecretResolver environment, SecretPolicy policy, String tool, boolean fromModel) {
    this.environment = environment;
    this.policy = policy;
    this.tool = tool;
    this.fromModel = fromModel;
  }

  @Override
  public Optional<String> resolve(String reference) throws ToolException {
    check(reference);
    if (policy.hostRestricted(reference)) {
      throw refused("the secret " + SecretPolicy.variableOf(reference) + " may be sent only to the hosts in secrets."
          + SecretPolicy.variableOf(reference) + ".hosts, and tool '" + tool + "' did not say where it sends it");
    }
    return remember(environment.resolve(reference));
  }

  @Override
  public Optional<String> resolveFor(String reference, String host) throws ToolException {
    check(reference);
    Optional<String> refusal = policy.refuseToolHost(reference, host);
    if (refusal.isPresent()) {
      throw refused(refusal.get());
    }
    return remember(environment.resolve(reference));
  }

  /** The values handed out so far (to redact); never log them. */
  public List<String> handedOut() {
    return List.copyOf(handedOut);
  }

  private void check(String reference) throws ToolException {
    if (fromModel) {
      throw refused("tool arguments written by a model may not use secrets; only a tool node of the definition"
          + " may, with a secret the worker grants to tool '" + tool + "'");
    }
    Optional<String> refusal;
    try {
      refusal = policy.refuseForTool(reference, tool);
    } catch (IllegalArgumentException e) {
      throw ToolException.invalidArguments(e.getMessage());
    }
    if (refusal.isPresent()) {
      throw refused(refusal.get());
    }
  }

  private Optional<String> remember(Optional<String> value) {
    value.ifPresent(handedOut::add);
    return value;
  }

  private static ToolException refused(String message) {
    return ToolException.nonRetryable(SecretPolicy.NOT_ALLOWED, message, null);
  }
}
