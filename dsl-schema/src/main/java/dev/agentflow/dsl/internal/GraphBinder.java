package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.dsl.Transitions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Binds a schema-valid definition tree to the typed model, applying the defaults. Only ever given a
 * tree that passed the schema, so it trusts types and required properties.
 */
public final class GraphBinder {

  private GraphBinder() {}

  public static GraphDefinition bind(JsonNode root) {
    return new GraphDefinition(
        root.path("apiVersion").asText(),
        root.path("name").asText(),
        root.path("version").asInt(),
        text(root, "description"),
        root.hasNonNull("input") ? root.get("input").deepCopy() : null,
        orderedMap(root.path("models"), (name, model) -> model(model)),
        orderedMap(root.path("tools"), (name, settings) -> toolSettings(settings)),
        root.path("start").asText(),
        orderedMap(root.path("nodes"), GraphBinder::node),
        Map.of(),
        null);
  }

  private static ModelSpec model(JsonNode model) {
    return new ModelSpec(
        model.path("provider").asText(),
        model.path("model").asText(),
        text(model, "baseUrl"),
        text(model, "apiKey"),
        model.hasNonNull("temperature") ? model.get("temperature").asDouble() : null,
        model.hasNonNull("maxTokens") ? model.get("maxTokens").asInt() : null,
        duration(model, "timeout", ModelSpec.DEFAULT_TIMEOUT),
        retry(model.path("retry")));
  }

  private static ToolSettings toolSettings(JsonNode settings) {
    return new ToolSettings(
        duration(settings, "timeout", ToolSettings.DEFAULT.timeout()),
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
        duration(retry, "initialInterval", base.initialInterval()),
        retry.hasNonNull("backoff") ? retry.get("backoff").asDouble() : base.backoff(),
        duration(retry, "maxInterval", base.maxInterval()),
        retry.hasNonNull("maxAttempts") ? retry.get("maxAttempts").asInt() : base.maxAttempts(),
        retry.has("nonRetryable") ? List.copyOf(nonRetryable) : base.nonRetryable());
  }

  private static Node node(String id, JsonNode node) {
    String kind = node.path("kind").asText();
    switch (kind) {
      case "llm":
        return new LlmNode(
            id,
            node.path("model").asText(),
            text(node, "system"),
            node.path("prompt").asText(),
            strings(node.path("tools")),
            node.hasNonNull("maxIterations")
                ? node.get("maxIterations").asInt()
                : LlmNode.DEFAULT_MAX_ITERATIONS,
            node.hasNonNull("outputSchema") ? node.get("outputSchema").deepCopy() : null,
            text(node, "onMaxIterations"),
            text(node, "onError"),
            null,
            transitions(node));
      case "tool":
        return new ToolNode(
            id,
            node.path("tool").asText(),
            node.hasNonNull("arguments")
                ? node.get("arguments").deepCopy()
                : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode(),
            text(node, "onError"),
            transitions(node));
      case "end":
        return new EndNode(id, text(node, "output"));
      default:
        throw new IllegalArgumentException("node '" + id + "' has unknown kind '" + kind + "'");
    }
  }

  private static Transitions transitions(JsonNode node) {
    List<Route> routes = new ArrayList<>();
    node.path("routes").forEach(route -> routes.add(new Route(text(route, "when"), text(route, "to"))));
    Map<String, String> set = orderedMap(node.path("set"), (name, expression) -> expression.asText());
    return new Transitions(text(node, "next"), List.copyOf(routes), set);
  }

  private static Duration duration(JsonNode object, String field, Duration fallback) {
    return object.hasNonNull(field) ? Durations.parse(object.get(field).asText()) : fallback;
  }

  private static String text(JsonNode object, String field) {
    return object.hasNonNull(field) ? object.get(field).asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return List.copyOf(values);
  }

  /** An unmodifiable map in the object's key order (the file order). */
  private static <T> Map<String, T> orderedMap(JsonNode object, BiFunction<String, JsonNode, T> bind) {
    Map<String, T> map = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> entry : object.properties()) {
      map.put(entry.getKey(), bind.apply(entry.getKey(), entry.getValue()));
    }
    return Collections.unmodifiableMap(map);
  }
}
