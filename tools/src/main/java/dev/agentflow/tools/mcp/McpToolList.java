package dev.agentflow.tools.mcp;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.internal.CanonicalJson;
import io.modelcontextprotocol.spec.McpSchema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The tools one MCP server offers, in a canonical form: sorted by name, each with the name a model
 * sees, its description and its input (and output) schema, as JSON with sorted keys. Its sha256
 * identifies the list: a run records it when it first uses the server and compares it with the
 * server's list at every call, so a server whose tools changed under a running graph is noticed.
 *
 * <p>Model-facing names: providers accept only {@code [a-zA-Z0-9_-]{1,64}}, so {@code
 * mcp.files/read_text_file} is shown to the model as {@code files__read_text_file}; other characters
 * become {@code _}, and a name that is too long or collides is cut and given a hash suffix.
 */
public final class McpToolList {

  /** The longest tool name model providers accept. */
  public static final int MAX_MODEL_NAME = 64;

  private static final ObjectMapper MAPPER = JsonMappers.json();
  private static final Pattern NOT_ALLOWED = Pattern.compile("[^a-zA-Z0-9_-]");

  private final String server;
  private final JsonNode json;
  private final byte[] canonical;
  private final String sha256;
  private final Map<String, JsonNode> byName = new LinkedHashMap<>();

  private McpToolList(String server, JsonNode json) {
    this.server = server;
    this.json = json;
    String text = CanonicalJson.of(json);
    this.canonical = text.getBytes(StandardCharsets.UTF_8);
    this.sha256 = CanonicalJson.sha256(text);
    json.path("tools").forEach(tool -> byName.put(tool.path("name").asText(), tool));
  }

  /** The list of {@code server} from the SDK's tools. */
  public static McpToolList of(String server, List<McpSchema.Tool> tools) {
    List<McpSchema.Tool> sorted = new ArrayList<>(tools);
    sorted.sort(Comparator.comparing(McpSchema.Tool::name));
    ObjectNode root = MAPPER.createObjectNode();
    root.put("server", server);
    ArrayNode array = root.putArray("tools");
    Set<String> used = new HashSet<>();
    for (McpSchema.Tool tool : sorted) {
      ObjectNode entry = array.addObject();
      entry.put("name", tool.name());
      entry.put("modelName", modelName(server, tool.name(), used));
      if (tool.title() != null) {
        entry.put("title", tool.title());
      }
      entry.put("description", tool.description() == null ? "" : tool.description());
      entry.set("inputSchema", MAPPER.valueToTree(tool.inputSchema() == null ? Map.of("type", "object") : tool.inputSchema()));
      if (tool.outputSchema() != null) {
        entry.set("outputSchema", MAPPER.valueToTree(tool.outputSchema()));
      }
      if (tool.annotations() != null) {
        entry.set("annotations", MAPPER.valueToTree(tool.annotations()));
      }
    }
    return new McpToolList(server, root);
  }

  /** A list read back from its canonical JSON (the blob a run recorded). */
  public static McpToolList fromJson(byte[] canonicalJson) {
    try {
      JsonNode json = MAPPER.readTree(canonicalJson);
      return new McpToolList(json.path("server").asText(), json);
    } catch (java.io.IOException e) {
      throw new IllegalArgumentException("not an MCP tool list: " + e.getMessage(), e);
    }
  }

  static String modelName(String server, String tool, Set<String> used) {
    String name = NOT_ALLOWED.matcher(server + "__" + tool).replaceAll("_");
    if (name.length() > MAX_MODEL_NAME || used.contains(name)) {
      String suffix = "_" + CanonicalJson.sha256(server + "/" + tool).substring(0, 8);
      name = name.substring(0, Math.min(name.length(), MAX_MODEL_NAME - suffix.length())) + suffix;
    }
    used.add(name);
    return name;
  }

  public String server() {
    return server;
  }

  /** Hex sha256 of the canonical JSON. */
  public String sha256() {
    return sha256;
  }

  /** The canonical JSON bytes (what the blob store keeps). */
  public byte[] canonicalJson() {
    return canonical.clone();
  }

  /** Tool names, sorted. */
  public List<String> names() {
    return List.copyOf(byName.keySet());
  }

  /** One tool's entry: {@code name, modelName, description, inputSchema, outputSchema?, annotations?}. */
  public Optional<JsonNode> tool(String name) {
    return Optional.ofNullable(byName.get(name));
  }

  /**
   * What differs from {@code other}: tools added, removed and changed, for the message that
   * reports a server whose tools changed.
   */
  public String differenceFrom(McpToolList other) {
    List<String> added = new ArrayList<>();
    List<String> removed = new ArrayList<>();
    List<String> changed = new ArrayList<>();
    for (String name : byName.keySet()) {
      JsonNode theirs = other.byName.get(name);
      if (theirs == null) {
        added.add(name);
      } else if (!theirs.equals(byName.get(name))) {
        changed.add(name);
      }
    }
    for (String name : other.byName.keySet()) {
      if (!byName.containsKey(name)) {
        removed.add(name);
      }
    }
    List<String> parts = new ArrayList<>();
    if (!added.isEmpty()) {
      parts.add("added " + added);
    }
    if (!removed.isEmpty()) {
      parts.add("removed " + removed);
    }
    if (!changed.isEmpty()) {
      parts.add("changed " + changed);
    }
    return parts.isEmpty() ? "no tool differs" : String.join(", ", parts);
  }
}
