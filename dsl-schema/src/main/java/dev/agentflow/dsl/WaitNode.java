package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;

/**
 * Pauses the run until a human (or any system) sends the named signal or update, or until the
 * timeout. Waiting costs nothing: no worker thread, no polling.
 *
 * @param event signal / update name
 * @param payloadSchema JSON Schema the payload must match, or null for any payload
 * @param timeout how long to wait, or null for ever
 * @param onTimeout node to go to on timeout, or null to fail the run on timeout
 */
public record WaitNode(
    String id, String event, JsonNode payloadSchema, Duration timeout, String onTimeout, Transitions transitions)
    implements Node {

  @Override
  public String kind() {
    return "wait";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onTimeout", onTimeout));
  }

  @Override
  public List<SchemaSite> schemas() {
    return SchemaSite.of("payload", payloadSchema);
  }
}
