package dev.agentflow.engine.policy;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * What a definition (child graphs included) asks of a worker: the secrets and endpoints of its
 * models, and the secrets its {@code tool} nodes pass. Extracted from the pinned canonical JSON by a
 * pure walk, so workflow code can build it deterministically and hand it to the policy check; the
 * CLI builds the same from a file.
 *
 * @param models every model of every graph in the definition
 * @param toolSecrets every {@code {"secret": …}} in a tool node's arguments
 */
public record PolicySubject(List<ModelUse> models, List<ToolSecretUse> toolSecrets) {

  /**
   * One model.
   *
   * @param where the graph and model name, for messages
   * @param provider the model's provider ({@code openai} when unset)
   * @param baseUrl the endpoint the definition wrote, or null
   * @param apiKey the secret reference, or null for the provider default
   * @param egressAllow the graph's {@code egress.allow}, or null when it does not narrow
   */
  public record ModelUse(String where, String provider, String baseUrl, String apiKey, List<String> egressAllow) {}

  /**
   * One secret a tool node passes.
   *
   * @param where the graph, node and argument, for messages
   * @param tool the tool that would read it
   * @param reference the secret reference (the text of {@code secret})
   */
  public record ToolSecretUse(String where, String tool, String reference) {}

  public PolicySubject {
    models = List.copyOf(models);
    toolSecrets = List.copyOf(toolSecrets);
  }

  /** The subject of a canonical definition (a parsed definition JSON with its child graphs pinned). */
  public static PolicySubject of(JsonNode definition) {
    List<ModelUse> models = new ArrayList<>();
    List<ToolSecretUse> secrets = new ArrayList<>();
    walk(definition, definition.path("name").asText("?"), models, secrets);
    return new PolicySubject(models, secrets);
  }

  private static void walk(JsonNode node, String graph, List<ModelUse> models, List<ToolSecretUse> secrets) {
    if (node.isArray()) {
      node.forEach(element -> walk(element, graph, models, secrets));
      return;
    }
    if (!node.isObject()) {
      return;
    }
    String current = graph;
    if (node.has("apiVersion") && node.has("nodes")) { // a whole definition: the root or a pinned child
      current = node.path("name").asText(graph);
      List<String> egress = strings(node.path("egress").path("allow"));
      Iterator<Map.Entry<String, JsonNode>> entries = node.path("models").fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> model = entries.next();
        JsonNode spec = model.getValue();
        models.add(new ModelUse("graph '" + current + "', model '" + model.getKey() + "'",
            text(spec, "provider"), text(spec, "baseUrl"), text(spec, "apiKey"), egress));
      }
    }
    if ("tool".equals(node.path("kind").asText()) && node.path("tool").isTextual()) {
      collectSecrets(node.path("arguments"), "", current, node.get("tool").asText(), secrets);
    }
    String inside = current;
    node.forEach(child -> walk(child, inside, models, secrets));
  }

  private static void collectSecrets(
      JsonNode value, String pointer, String graph, String tool, List<ToolSecretUse> secrets) {
    if (value.isObject()) {
      if (value.path("secret").isTextual()) {
        secrets.add(new ToolSecretUse("graph '" + graph + "', tool '" + tool + "' argument " + (pointer.isEmpty() ? "/" : pointer),
            tool, value.get("secret").asText()));
        return;
      }
      value.fields().forEachRemaining(field -> collectSecrets(field.getValue(), pointer + "/" + field.getKey(), graph, tool, secrets));
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        collectSecrets(value.get(i), pointer + "/" + i, graph, tool, secrets);
      }
    }
  }

  private static String text(JsonNode node, String field) {
    return node.path(field).isTextual() ? node.get(field).asText() : null;
  }

  private static List<String> strings(JsonNode array) {
    if (!array.isArray()) {
      return null;
    }
    List<String> values = new ArrayList<>();
    array.forEach(value -> values.add(value.asText()));
    return values;
  }
}
