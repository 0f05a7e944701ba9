package dev.agentflow.engine.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One scripted answer of {@link StubOpenAiServer}: status, JSON body, headers, and how long to wait
 * before answering. Factories build the OpenAI wire format, so tests read as what the provider did.
 */
public record StubResponse(int status, String body, Map<String, String> headers, Duration delay) {

  private static final ObjectMapper JSON = new ObjectMapper();

  public StubResponse {
    headers = Map.copyOf(headers);
    delay = delay == null ? Duration.ZERO : delay;
  }

  /** A tool call in a reply; {@code argumentsJson} is the JSON object text the model wrote. */
  public record StubToolCall(String id, String name, String argumentsJson) {}

  /** A 200 with a text reply, finish reason {@code stop}, and the given usage. */
  public static StubResponse text(String content, int promptTokens, int completionTokens) {
    return completion(content, new StubToolCall[0], "stop", promptTokens, completionTokens);
  }

  /** A 200 with a text reply and small usage numbers. */
  public static StubResponse text(String content) {
    return text(content, 10, 5);
  }

  /** A 200 asking for tool calls, finish reason {@code tool_calls}. */
  public static StubResponse toolCalls(StubToolCall... calls) {
    return completion(null, calls, "tool_calls", 20, 10);
  }

  /** A 200 whose finish reason is {@code content_filter}. */
  public static StubResponse filteredCompletion() {
    return completion("", new StubToolCall[0], "content_filter", 10, 0);
  }

  /** A 429 with {@code Retry-After: <header>} (seconds or an HTTP date). */
  public static StubResponse rateLimited(String retryAfter) {
    return error(429, "rate_limit_exceeded", "Rate limit reached for requests").withHeader("Retry-After", retryAfter);
  }

  /** A 500. */
  public static StubResponse serverError() {
    return error(500, "server_error", "The server had an error while processing your request");
  }

  /** Azure/OpenAI's content-filter refusal: a 400 with error code {@code content_filter}. */
  public static StubResponse contentFilter() {
    return error(400, "content_filter", "The response was filtered due to the prompt triggering the content management policy");
  }

  /** A 400 that is not a content filter. */
  public static StubResponse badRequest() {
    return error(400, "invalid_request_error", "Invalid 'messages': too long");
  }

  /** A 401 whose message echoes part of the key, as OpenAI does. */
  public static StubResponse unauthorized(String echoedKey) {
    return error(401, "invalid_api_key", "Incorrect API key provided: " + echoedKey);
  }

  /** A 404 for an unknown model. */
  public static StubResponse modelNotFound() {
    return error(404, "model_not_found", "The model does not exist");
  }

  /** An OpenAI error object with the given HTTP status and error code. */
  public static StubResponse error(int status, String code, String message) {
    ObjectNode root = JSON.createObjectNode();
    ObjectNode error = root.putObject("error");
    error.put("message", message);
    error.put("type", code.equals("server_error") ? "server_error" : "invalid_request_error");
    error.putNull("param");
    error.put("code", code);
    return new StubResponse(status, root.toString(), Map.of(), Duration.ZERO);
  }

  /** This response, sent only after {@code delay} (to outlast a client or activity timeout). */
  public StubResponse delayedBy(Duration delay) {
    return new StubResponse(status, body, headers, delay);
  }

  public StubResponse withHeader(String name, String value) {
    Map<String, String> more = new LinkedHashMap<>(headers);
    more.put(name, value);
    return new StubResponse(status, body, more, delay);
  }

  private static StubResponse completion(
      String content, StubToolCall[] calls, String finishReason, int promptTokens, int completionTokens) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-stub");
    root.put("object", "chat.completion");
    root.put("created", 1_700_000_000L);
    root.put("model", "stub-model");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (content == null) {
      message.putNull("content");
    } else {
      message.put("content", content);
    }
    if (calls.length > 0) {
      ArrayNode toolCalls = message.putArray("tool_calls");
      for (StubToolCall call : calls) {
        ObjectNode toolCall = toolCalls.addObject();
        toolCall.put("id", call.id());
        toolCall.put("type", "function");
        ObjectNode function = toolCall.putObject("function");
        function.put("name", call.name());
        function.put("arguments", call.argumentsJson());
      }
    }
    choice.put("finish_reason", finishReason);
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", promptTokens);
    usage.put("completion_tokens", completionTokens);
    usage.put("total_tokens", promptTokens + completionTokens);
    return new StubResponse(200, root.toString(), Map.of(), Duration.ZERO);
  }
}
