package dev.agentflow.tools.mcp;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import io.modelcontextprotocol.spec.McpSchema;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Function;

/**
 * An MCP tool result as the JSON a node's output and a model's tool message are made of. Binary
 * content (images, audio, blob resources) never travels by value: its bytes go to the blob store
 * and the result carries {@code {type, mimeType, ref, sizeBytes}}.
 *
 * <ul>
 *   <li>Text blocks only: the text (several blocks joined by a newline).
 *   <li>Structured content with text blocks only: the structured content (the text is its
 *       serialisation, which the spec asks servers to add for older clients).
 *   <li>Anything else: {@code {"content": [blocks], "structuredContent": …}}, each block {@code
 *       {type: text, text}}, {@code {type: image|audio, mimeType, ref, sizeBytes}}, {@code {type:
 *       resource, uri, mimeType, text}} or {@code {…, ref, sizeBytes}} for a blob, or {@code {type:
 *       resource_link, uri, name, mimeType, description}}.
 * </ul>
 *
 * An {@code isError: true} result is the same JSON; the caller reports it as a tool error.
 */
public final class McpResults {

  private static final ObjectMapper MAPPER = JsonMappers.json();

  private McpResults() {}

  /**
   * @param store puts bytes in the blob store and returns their reference
   */
  public static JsonNode toJson(McpSchema.CallToolResult result, Function<byte[], String> store) {
    List<JsonNode> blocks = new ArrayList<>();
    List<String> texts = new ArrayList<>();
    boolean onlyText = true;
    for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
      JsonNode block = block(content, store);
      blocks.add(block);
      if (content instanceof McpSchema.TextContent text) {
        texts.add(text.text() == null ? "" : text.text());
      } else {
        onlyText = false;
      }
    }
    JsonNode structured = result.structuredContent() == null ? null : MAPPER.valueToTree(result.structuredContent());
    if (onlyText && structured == null) {
      return TextNode.valueOf(String.join("\n", texts));
    }
    if (onlyText) {
      return structured;
    }
    ObjectNode json = MAPPER.createObjectNode();
    ArrayNode array = json.putArray("content");
    blocks.forEach(array::add);
    if (structured != null) {
      json.set("structuredContent", structured);
    }
    return json;
  }

  /** The text of an error result, for the message the model reads. */
  public static String errorText(McpSchema.CallToolResult result) {
    List<String> texts = new ArrayList<>();
    for (McpSchema.Content content : result.content() == null ? List.<McpSchema.Content>of() : result.content()) {
      if (content instanceof McpSchema.TextContent text && text.text() != null) {
        texts.add(text.text());
      }
    }
    if (texts.isEmpty() && result.structuredContent() != null) {
      texts.add(MAPPER.valueToTree(result.structuredContent()).toString());
    }
    return texts.isEmpty() ? "(no message)" : String.join("\n", texts);
  }

  private static JsonNode block(McpSchema.Content content, Function<byte[], String> store) {
    ObjectNode block = MAPPER.createObjectNode();
    if (content instanceof McpSchema.TextContent text) {
      block.put("type", "text");
      block.put("text", text.text());
    } else if (content instanceof McpSchema.ImageContent image) {
      block.put("type", "image");
      binary(block, image.mimeType(), image.data(), store);
    } else if (content instanceof McpSchema.AudioContent audio) {
      block.put("type", "audio");
      binary(block, audio.mimeType(), audio.data(), store);
    } else if (content instanceof McpSchema.EmbeddedResource embedded) {
      block.put("type", "resource");
      McpSchema.ResourceContents resource = embedded.resource();
      block.put("uri", resource.uri());
      if (resource instanceof McpSchema.TextResourceContents text) {
        putIfSet(block, "mimeType", text.mimeType());
        block.put("text", text.text());
      } else if (resource instanceof McpSchema.BlobResourceContents blob) {
        binary(block, blob.mimeType(), blob.blob(), store);
      }
    } else if (content instanceof McpSchema.ResourceLink link) {
      block.put("type", "resource_link");
      block.put("uri", link.uri());
      putIfSet(block, "name", link.name());
      putIfSet(block, "mimeType", link.mimeType());
      putIfSet(block, "description", link.description());
    } else {
      block.put("type", content.type());
    }
    return block;
  }

  private static void binary(ObjectNode block, String mimeType, String base64, Function<byte[], String> store) {
    putIfSet(block, "mimeType", mimeType);
    byte[] bytes;
    try {
      bytes = base64 == null ? new byte[0] : Base64.getMimeDecoder().decode(base64);
    } catch (IllegalArgumentException e) {
      block.put("error", "the server sent data that is not base64");
      return;
    }
    block.put("ref", store.apply(bytes));
    block.put("sizeBytes", bytes.length);
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }
}
