package dev.agentflow.engine.config;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Reads {@code agentflow.yaml} into an {@link AgentflowConfig}: built-in defaults, then the file, then
 * environment variables, so a container can change one value without a file.
 *
 * <p>Every value has an environment name: {@code AGENTFLOW_} and its path, each segment upper-cased
 * with camelCase split by {@code _} and any other character turned into {@code _}. For example
 * {@code pools.openai.maxConcurrent} is {@code AGENTFLOW_POOLS_OPENAI_MAX_CONCURRENT}, {@code
 * workflows.cacheSize} is {@code AGENTFLOW_WORKFLOWS_CACHE_SIZE}, {@code pricing.gpt-4.1.input} is
 * {@code AGENTFLOW_PRICING_GPT_4_1_INPUT}, and a list is comma-separated ({@code
 * AGENTFLOW_POOLS_OPENAI_MODELS=gpt-4.1,gpt-4.1-mini}). A pool the file does not name can be added
 * from the environment ({@code AGENTFLOW_POOLS_<NAME>_MAX_CONCURRENT}); a model price cannot (its
 * name is not recoverable from the variable).
 *
 * <p>In {@code pools}, the entry {@code default} is a template: what a pool leaves out comes from it,
 * and the providers' pools ({@code openai}, {@code offline}) exist even when the file does not name
 * them.
 */
public final class ConfigLoader {

  public static final String ENV_PREFIX = "AGENTFLOW";

  private static final ObjectMapper YAML =
      YAMLMapper.builder(JsonMappers.yamlFactoryBuilder().build()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION).build();
  private static final List<String> POOL_FIELDS = List.of("maxConcurrent", "ratePerSecond", "models", "maxTokensPerMinute", "maxRequestsPerMinute");

  private ConfigLoader() {}

  /** The file (or the defaults when {@code file} is null) with the environment applied. */
  public static AgentflowConfig load(Path file, Map<String, String> env) {
    if (file == null) {
      return fromYaml("", "(defaults)", env);
    }
    try {
      return fromYaml(Files.readString(file), file.toString(), env);
    } catch (IOException e) {
      throw new ConfigException("cannot read the engine config " + file + ": " + e.getMessage(), e);
    }
  }

  /** YAML text from {@code source} (for messages) with the environment applied. */
  public static AgentflowConfig fromYaml(String yaml, String source, Map<String, String> env) {
    ObjectNode file = parse(yaml, source);
    applyEnvironment(file, env);
    ObjectNode merged = YAML.valueToTree(AgentflowConfig.defaults());
    ObjectNode pools = resolvePools(file.remove("pools"), merged.withObject("/pools"), source);
    merge(merged, file);
    merged.set("pools", pools);
    try {
      return YAML.treeToValue(merged, AgentflowConfig.class);
    } catch (JsonMappingException e) {
      throw new ConfigException(source + ": " + describe(e), e);
    } catch (JsonProcessingException e) {
      throw new ConfigException(source + ": " + e.getOriginalMessage(), e);
    }
  }

  /** The environment variable that overrides the value at {@code path}. */
  public static String envName(List<String> path) {
    StringBuilder name = new StringBuilder(ENV_PREFIX);
    for (String segment : path) {
      name.append('_').append(envSegment(segment));
    }
    return name.toString();
  }

  static String envSegment(String segment) {
    String split = segment.replaceAll("([a-z0-9])([A-Z])", "$1_$2");
    return split.replaceAll("[^A-Za-z0-9]", "_").toUpperCase(Locale.ROOT);
  }

  private static ObjectNode parse(String yaml, String source) {
    if (yaml.isBlank()) {
      return YAML.createObjectNode();
    }
    JsonNode tree;
    try {
      tree = YAML.readTree(yaml);
    } catch (JsonProcessingException e) {
      String where = e.getLocation() == null ? "" : ":" + e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
      throw new ConfigException(source + where + ": " + e.getOriginalMessage(), e);
    }
    if (tree == null || tree.isNull() || tree.isMissingNode()) {
      return YAML.createObjectNode();
    }
    if (!(tree instanceof ObjectNode object)) {
      throw new ConfigException(source + ": the engine config must be a mapping, not " + tree.getNodeType());
    }
    return object;
  }

  /** Sets, in the file's tree, every value some environment variable names. */
  private static void applyEnvironment(ObjectNode file, Map<String, String> env) {
    ObjectNode shape = YAML.valueToTree(AgentflowConfig.defaults());
    ObjectNode poolShape = YAML.valueToTree(new PoolConfig(1, 0, List.of()));
    ObjectNode shapePools = shape.withObject("/pools");
    shapePools.set(AgentflowConfig.TEMPLATE_POOL, poolShape.deepCopy());
    file.path("pools").fieldNames().forEachRemaining(name -> shapePools.set(name, poolShape.deepCopy()));
    for (String name : poolsNamedOnlyInEnvironment(env, shapePools)) {
      shapePools.set(name, poolShape.deepCopy());
    }
    ObjectNode shapePricing = shape.withObject("/pricing");
    file.path("pricing").fieldNames().forEachRemaining(
        model -> shapePricing.set(model, YAML.valueToTree(new ModelPrice(0, 0))));
    for (Leaf leaf : leaves(shape, new ArrayList<>())) {
      String value = env.get(envName(leaf.path()));
      if (value != null) {
        set(file, leaf.path(), leaf.isList() ? list(value) : TextNode.valueOf(value.trim()));
      }
    }
  }

  private static List<String> poolsNamedOnlyInEnvironment(Map<String, String> env, ObjectNode knownPools) {
    String prefix = envName(List.of("pools")) + "_";
    List<String> known = new ArrayList<>();
    knownPools.fieldNames().forEachRemaining(name -> known.add(envSegment(name)));
    List<String> found = new ArrayList<>();
    for (String key : new TreeMap<>(env).keySet()) {
      if (!key.startsWith(prefix)) {
        continue;
      }
      for (String field : POOL_FIELDS) {
        String suffix = "_" + envSegment(field);
        if (key.endsWith(suffix) && key.length() > prefix.length() + suffix.length()) {
          String segment = key.substring(prefix.length(), key.length() - suffix.length());
          String name = segment.toLowerCase(Locale.ROOT);
          if (!known.contains(segment) && !found.contains(name)) {
            found.add(name);
          }
        }
      }
    }
    return found;
  }

  /** Each pool is the template overlaid with its own entry; the providers' pools always exist. */
  private static ObjectNode resolvePools(JsonNode filePools, ObjectNode defaultPools, String source) {
    if (filePools != null && !filePools.isNull() && !filePools.isObject()) {
      throw new ConfigException(source + ": pools must be a mapping of pool name to settings");
    }
    ObjectNode template = YAML.valueToTree(PoolConfig.standard());
    JsonNode fileTemplate = filePools == null ? null : filePools.get(AgentflowConfig.TEMPLATE_POOL);
    if (fileTemplate instanceof ObjectNode overlay) {
      merge(template, overlay);
    }
    ObjectNode resolved = YAML.createObjectNode();
    defaultPools.fieldNames().forEachRemaining(name -> resolved.set(name, template.deepCopy()));
    if (filePools != null) {
      Iterator<Map.Entry<String, JsonNode>> entries = filePools.fields();
      while (entries.hasNext()) {
        Map.Entry<String, JsonNode> entry = entries.next();
        if (entry.getKey().equals(AgentflowConfig.TEMPLATE_POOL)) {
          continue;
        }
        ObjectNode pool = template.deepCopy();
        if (entry.getValue() instanceof ObjectNode overlay) {
          merge(pool, overlay);
        } else if (!entry.getValue().isNull()) {
          throw new ConfigException(source + ": pools." + entry.getKey() + " must be a mapping");
        }
        resolved.set(entry.getKey(), pool);
      }
    }
    return resolved;
  }

  private static void merge(ObjectNode target, ObjectNode overlay) {
    Iterator<Map.Entry<String, JsonNode>> entries = overlay.fields();
    while (entries.hasNext()) {
      Map.Entry<String, JsonNode> entry = entries.next();
      JsonNode existing = target.get(entry.getKey());
      if (existing instanceof ObjectNode existingObject && entry.getValue() instanceof ObjectNode overlayObject) {
        merge(existingObject, overlayObject);
      } else {
        target.set(entry.getKey(), entry.getValue().deepCopy());
      }
    }
  }

  private record Leaf(List<String> path, boolean isList) {}

  private static List<Leaf> leaves(JsonNode node, List<String> path) {
    List<Leaf> found = new ArrayList<>();
    if (node instanceof ObjectNode object && (object.size() > 0 || path.isEmpty())) {
      object.fields().forEachRemaining(entry -> {
        List<String> child = new ArrayList<>(path);
        child.add(entry.getKey());
        found.addAll(leaves(entry.getValue(), child));
      });
    } else if (!path.isEmpty() && !node.isObject()) {
      found.add(new Leaf(List.copyOf(path), node.isArray()));
    }
    return found;
  }

  private static void set(ObjectNode root, List<String> path, JsonNode value) {
    ObjectNode parent = root;
    for (String segment : path.subList(0, path.size() - 1)) {
      JsonNode child = parent.get(segment);
      if (!(child instanceof ObjectNode)) {
        child = parent.putObject(segment);
      }
      parent = (ObjectNode) child;
    }
    parent.set(path.get(path.size() - 1), value);
  }

  private static ArrayNode list(String value) {
    ArrayNode list = YAML.createArrayNode();
    for (String item : value.split(",")) {
      if (!item.isBlank()) {
        list.add(item.trim());
      }
    }
    return list;
  }

  private static String describe(JsonMappingException e) {
    StringBuilder path = new StringBuilder();
    for (JsonMappingException.Reference reference : e.getPath()) {
      if (reference.getFieldName() != null) {
        path.append(path.length() == 0 ? "" : ".").append(reference.getFieldName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    Throwable cause = e;
    while (cause.getCause() != null && cause.getCause() != cause) {
      cause = cause.getCause();
    }
    String message = cause instanceof IllegalArgumentException ? cause.getMessage() : e.getOriginalMessage();
    return (path.length() == 0 ? "" : path + ": ") + message;
  }
}
