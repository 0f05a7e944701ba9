package dev.agentflow.engine.llm;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.blob.BlobStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Conversations in the blob store, so workflow history carries a reference instead of a growing
 * message list (the seed's "move message history to an external store early").
 *
 * <p>The JSON is written field by field in a fixed order and without nulls, so equal conversations
 * get equal bytes and therefore equal references: a retried activity produces the same reference.
 * Messages keep their {@code contentRef}: a large tool result is stored once, never inlined.
 */
public final class ConversationStore {

  private static final int FORMAT_VERSION = 1;
  private static final ObjectMapper JSON = JsonMappers.json();

  private final BlobStore blobs;

  public ConversationStore(BlobStore blobs) {
    this.blobs = blobs;
  }

  /** The conversation stored under {@code ref}; empty for a null ref (a new conversation). */
  public List<ChatMessage> read(String ref) {
    if (ref == null) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(blobs.get(ref));
    } catch (IOException e) {
      throw new UncheckedIOException("conversation " + ref + " is not valid JSON", e);
    }
    List<ChatMessage> messages = new ArrayList<>();
    for (JsonNode message : root.path("messages")) {
      messages.add(fromJson(message));
    }
    return List.copyOf(messages);
  }

  /** Stores the conversation and returns its reference. */
  public String write(List<ChatMessage> messages) {
    ObjectNode root = JSON.createObjectNode();
    root.put("version", FORMAT_VERSION);
    ArrayNode array = root.putArray("messages");
    messages.forEach(message -> array.add(toJson(message)));
    try {
      return blobs.put(JSON.writeValueAsBytes(root));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialise a conversation", e);
    }
  }

  /** The message's text: inline content, else the blob its {@code contentRef} points at, else "". */
  public String resolveContent(ChatMessage message) {
    if (message.content() != null) {
      return message.content();
    }
    if (message.contentRef() != null) {
      return new String(blobs.get(message.contentRef()), StandardCharsets.UTF_8);
    }
    return "";
  }

  /** The same message with its content resolved (the reference is kept for information). */
  public ChatMessage withResolvedContent(ChatMessage message) {
    if (message.content() != null || message.contentRef() == null) {
      return message;
    }
    return new ChatMessage(
        message.role(),
        resolveContent(message),
        message.contentRef(),
        message.toolCalls(),
        message.toolCallId(),
        message.toolName());
  }

  private static ObjectNode toJson(ChatMessage message) {
    ObjectNode node = JSON.createObjectNode();
    node.put("role", message.role());
    putIfSet(node, "content", message.content());
    putIfSet(node, "contentRef", message.contentRef());
    if (message.toolCalls() != null && !message.toolCalls().isEmpty()) {
      ArrayNode calls = node.putArray("toolCalls");
      for (ToolCall call : message.toolCalls()) {
        ObjectNode callNode = calls.addObject();
        callNode.put("id", call.id());
        callNode.put("name", call.name());
        callNode.put("arguments", call.argumentsJson());
      }
    }
    putIfSet(node, "toolCallId", message.toolCallId());
    putIfSet(node, "toolName", message.toolName());
    return node;
  }

  private static ChatMessage fromJson(JsonNode node) {
    List<ToolCall> calls = new ArrayList<>();
    for (JsonNode call : node.path("toolCalls")) {
      calls.add(new ToolCall(text(call, "id"), text(call, "name"), text(call, "arguments")));
    }
    return new ChatMessage(
        text(node, "role"),
        text(node, "content"),
        text(node, "contentRef"),
        List.copyOf(calls),
        text(node, "toolCallId"),
        text(node, "toolName"));
  }

  private static void putIfSet(ObjectNode node, String field, String value) {
    if (value != null) {
      node.put(field, value);
    }
  }

  private static String text(JsonNode node, String field) {
    JsonNode value = node.get(field);
    return value == null || value.isNull() ? null : value.asText();
  }
}
