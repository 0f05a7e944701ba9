package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.Egress;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.Price;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.ToolSettings;
import java.util.ArrayList;
import java.util.List;

/**
 * Binds a schema-valid definition tree to the typed model, applying the defaults. Only ever given a
 * tree that passed the schema, so it trusts types and required properties. Each node is bound by
 * the {@link NodeBinder} of its kind.
 */
public final class GraphBinder {

  private GraphBinder() {}

  /**
   * @param subgraphs resolves the child graphs of fan-out and subgraph nodes
   */
  public static GraphDefinition bind(JsonNode root, SubgraphResolver subgraphs) {
    return new GraphDefinition(
        root.path("apiVersion").asText(),
        root.path("name").asText(),
        root.path("version").asInt(),
        Fields.text(root, "description"),
        Fields.copy(root, "input"),
        Fields.orderedMap(root.path("models"), (name, model) -> model(model)),
        Fields.orderedMap(root.path("tools"), (name, settings) -> toolSettings(settings)),
        root.path("start").asText(),
        Fields.orderedMap(root.path("nodes"), (id, node) ->
            NodeBinders.of(node.path("kind").asText()).bind(id, node, subgraphs)),
        Fields.orderedMap(root.path("pricing"), (name, price) ->
            new Price(price.path("input").asDouble(), price.path("output").asDouble())),
        Fields.budget(root),
        egress(root.get("egress")));
  }

  private static Egress egress(JsonNode egress) {
    if (egress == null || !egress.isObject()) {
      return null;
    }
    List<String> allow = new ArrayList<>();
    egress.path("allow").forEach(entry -> allow.add(entry.asText()));
    return new Egress(allow);
  }

  private static ModelSpec model(JsonNode model) {
    return new ModelSpec(
        model.path("provider").asText(),
        model.path("model").asText(),
        Fields.text(model, "baseUrl"),
        Fields.text(model, "apiKey"),
        model.hasNonNull("temperature") ? model.get("temperature").asDouble() : null,
        model.hasNonNull("maxTokens") ? model.get("maxTokens").asInt() : null,
        Fields.duration(model, "timeout", ModelSpec.DEFAULT_TIMEOUT),
        retry(model.path("retry")));
  }

  private static ToolSettings toolSettings(JsonNode settings) {
    return new ToolSettings(
        Fields.duration(settings, "timeout", ToolSettings.DEFAULT.timeout()),
        settings.has("retry") ? retry(settings.get("retry")) : ToolSettings.DEFAULT.retry());
  }

  /** A retry block; every field left out keeps {@link RetrySpec#DEFAULT}'s value. */
  private static RetrySpec retry(JsonNode retry) {
    RetrySpec base = RetrySpec.DEFAULT;
    if (!retry.isObject()) {
      return base;
    }
    List<String> nonRetryable = new ArrayList<>();
    retry.path("nonRetryable").forEach(type -> nonRetryable.add(type.asText()));
    return new RetrySpec(
        Fields.duration(retry, "initialInterval", base.initialInterval()),
        retry.hasNonNull("backoff") ? retry.get("backoff").asDouble() : base.backoff(),
        Fields.duration(retry, "maxInterval", base.maxInterval()),
        retry.hasNonNull("maxAttempts") ? retry.get("maxAttempts").asInt() : base.maxAttempts(),
        retry.has("nonRetryable") ? List.copyOf(nonRetryable) : base.nonRetryable());
  }
}
