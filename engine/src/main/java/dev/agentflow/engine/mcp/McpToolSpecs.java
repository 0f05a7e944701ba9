package dev.agentflow.engine.mcp;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.llm.ToolSpec;
import dev.agentflow.tools.mcp.McpToolList;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The MCP tools an LLM call offers, as {@link ToolSpec}s read from the lists the run recorded (by
 * reference), never from the live server: every call of the run, replayed or continued, shows the
 * model the same names, descriptions and schemas. Lists are content-addressed, so they are cached.
 */
public final class McpToolSpecs {

  private static final int MAX_CACHED = 256;

  private final BlobStore blobs;
  private final Map<String, McpToolList> lists = new ConcurrentHashMap<>();

  public McpToolSpecs(BlobStore blobs) {
    this.blobs = blobs;
  }

  /**
   * @throws IllegalArgumentException naming a tool the recorded list does not have
   */
  public List<ToolSpec> of(List<McpToolOffer> offers) {
    List<ToolSpec> specs = new ArrayList<>();
    if (offers == null) {
      return specs;
    }
    for (McpToolOffer offer : offers) {
      McpToolList list = list(offer.listRef());
      for (String name : offer.tools()) {
        JsonNode tool = list.tool(name).orElseThrow(() -> new IllegalArgumentException(
            "MCP server '" + offer.server() + "' has no tool '" + name + "' in the recorded list " + list.names()));
        specs.add(new ToolSpec(tool.path("modelName").asText(), tool.path("description").asText(), tool.path("inputSchema")));
      }
    }
    return specs;
  }

  private McpToolList list(String ref) {
    McpToolList cached = lists.get(ref);
    if (cached != null) {
      return cached;
    }
    McpToolList list = McpToolList.fromJson(blobs.get(ref));
    if (lists.size() >= MAX_CACHED) {
      lists.clear();
    }
    lists.put(ref, list);
    return list;
  }
}
