package dev.agentflow.engine.llm;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * Checks a structured reply against the node's {@code outputSchema}. Providers are asked for
 * structured output, but not all honour it (and offline scripts are hand-written), so the engine
 * checks every reply itself and fails with a retryable {@code OutputSchemaMismatch} naming the node
 * and what did not match.
 */
public final class OutputSchemaValidator {

  private static final ObjectMapper JSON = JsonMappers.json();
  private static final int MAX_REPORTED_ERRORS = 5;

  private final SchemaRegistry registry = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12);
  private final Map<JsonNode, Schema> schemas = new ConcurrentHashMap<>();

  /**
   * Parses and validates {@code content}.
   *
   * @return the parsed reply
   * @throws LlmCallException of type {@code OutputSchemaMismatch} when it is not JSON or not valid
   */
  public JsonNode validate(String content, JsonNode outputSchema, String nodeId) {
    JsonNode reply;
    try {
      reply = JSON.readTree(stripCodeFence(content));
    } catch (JsonProcessingException e) {
      throw LlmCallException.outputSchemaMismatch(
          "node '" + nodeId + "': the reply is not JSON (" + e.getOriginalMessage() + "): " + preview(content));
    }
    if (reply == null || reply.isMissingNode()) {
      throw LlmCallException.outputSchemaMismatch("node '" + nodeId + "': the reply is empty, expected JSON");
    }
    List<Error> errors = schemas.computeIfAbsent(outputSchema, registry::getSchema).validate(reply);
    if (!errors.isEmpty()) {
      String problems =
          errors.stream().limit(MAX_REPORTED_ERRORS).map(Error::toString).collect(Collectors.joining("; "));
      throw LlmCallException.outputSchemaMismatch(
          "node '" + nodeId + "': the reply does not match its outputSchema: " + problems);
    }
    return reply;
  }

  /** Models often wrap JSON in a Markdown code fence even when asked not to. */
  private static String stripCodeFence(String content) {
    String text = content == null ? "" : content.strip();
    if (text.startsWith("```") && text.endsWith("```") && text.length() >= 6) {
      int firstLineEnd = text.indexOf('\n');
      if (firstLineEnd > 0) {
        return text.substring(firstLineEnd + 1, text.length() - 3);
      }
    }
    return text;
  }

  private static String preview(String content) {
    if (content == null) {
      return "<null>";
    }
    return content.length() <= 200 ? content : content.substring(0, 200) + "…";
  }
}
