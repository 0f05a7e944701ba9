package dev.agentflow.engine.llm.openai;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.ChatReply;
import dev.agentflow.engine.llm.ProviderRateLimit;
import dev.agentflow.engine.llm.TokenUsage;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.llm.ToolSpec;
import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.SystemMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.request.ResponseFormat;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.request.json.JsonRawSchema;
import dev.langchain4j.model.chat.request.json.JsonSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatResponseMetadata;
import dev.langchain4j.model.output.FinishReason;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Our messages, tools and schemas to langchain4j's, and its reply back to ours. */
final class LangChainMapping {

  private LangChainMapping() {}

  static List<dev.langchain4j.data.message.ChatMessage> messages(List<ChatMessage> messages) {
    List<dev.langchain4j.data.message.ChatMessage> result = new ArrayList<>();
    for (ChatMessage message : messages) {
      result.add(message(message));
    }
    return result;
  }

  private static dev.langchain4j.data.message.ChatMessage message(ChatMessage message) {
    String text = message.content() == null ? "" : message.content();
    return switch (message.role()) {
      case "system" -> SystemMessage.from(text);
      case "user" -> UserMessage.from(text);
      case "assistant" -> assistant(message);
      case "tool" -> ToolExecutionResultMessage.from(message.toolCallId(), message.toolName(), text);
      default -> throw new IllegalArgumentException("unknown message role '" + message.role() + "'");
    };
  }

  private static AiMessage assistant(ChatMessage message) {
    List<ToolExecutionRequest> requests = new ArrayList<>();
    for (ToolCall call : message.toolCalls()) {
      requests.add(ToolExecutionRequest.builder().id(call.id()).name(call.name()).arguments(call.argumentsJson()).build());
    }
    String text = message.content() == null || message.content().isEmpty() ? null : message.content();
    return AiMessage.builder().text(text).toolExecutionRequests(requests).build();
  }

  /**
   * A tool for langchain4j. Its object schema keeps each property's JSON Schema verbatim (as a raw
   * schema), plus {@code required}, {@code additionalProperties} and {@code description}; other
   * top-level keywords are not sent.
   */
  static ToolSpecification tool(ToolSpec tool) {
    JsonNode schema = tool.parametersSchema();
    JsonObjectSchema.Builder parameters = JsonObjectSchema.builder();
    if (schema != null) {
      schema.path("properties").properties().forEach(
          property -> parameters.addProperty(property.getKey(), JsonRawSchema.from(property.getValue().toString())));
      List<String> required = new ArrayList<>();
      schema.path("required").forEach(name -> required.add(name.asText()));
      parameters.required(required);
      if (schema.path("additionalProperties").isBoolean()) {
        parameters.additionalProperties(schema.path("additionalProperties").asBoolean());
      }
      if (schema.path("description").isTextual()) {
        parameters.description(schema.path("description").asText());
      }
    }
    return ToolSpecification.builder()
        .name(tool.name())
        .description(tool.description())
        .parameters(parameters.build())
        .build();
  }

  /**
   * Structured output: an object schema is sent as an OpenAI {@code json_schema} response format
   * (non-strict, so any schema is accepted); anything else falls back to JSON mode. The engine
   * validates the reply against the schema either way.
   */
  static ResponseFormat responseFormat(JsonNode outputSchema) {
    if (!"object".equals(outputSchema.path("type").asText())) {
      return ResponseFormat.JSON;
    }
    JsonSchema schema =
        JsonSchema.builder().name("output").rootElement(JsonRawSchema.from(outputSchema.toString())).build();
    return ResponseFormat.builder().type(dev.langchain4j.model.chat.request.ResponseFormatType.JSON).jsonSchema(schema).build();
  }

  static ChatReply reply(ChatResponse response) {
    AiMessage message = response.aiMessage();
    List<ToolCall> calls = new ArrayList<>();
    if (message.hasToolExecutionRequests()) {
      for (ToolExecutionRequest request : message.toolExecutionRequests()) {
        calls.add(new ToolCall(request.id(), request.name(), request.arguments()));
      }
    }
    return new ChatReply(message.text(), calls, finishReason(response.finishReason(), calls), usage(response),
        rateLimit(response));
  }

  /**
   * The token budget the provider reported in {@code x-ratelimit-remaining-tokens} and {@code
   * x-ratelimit-reset-tokens}; null when it sent neither or something unreadable (an absent hint
   * only means admission goes by the configured limits).
   */
  static ProviderRateLimit rateLimit(ChatResponse response) {
    if (!(response.metadata() instanceof OpenAiChatResponseMetadata metadata) || metadata.rawHttpResponse() == null) {
      return null;
    }
    Map<String, List<String>> headers = metadata.rawHttpResponse().headers();
    String remaining = header(headers, "x-ratelimit-remaining-tokens");
    String reset = header(headers, "x-ratelimit-reset-tokens");
    if (remaining == null || reset == null) {
      return null;
    }
    try {
      return new ProviderRateLimit(Long.parseLong(remaining.strip()), ProviderRateLimit.parseReset(reset));
    } catch (IllegalArgumentException unreadable) {
      return null;
    }
  }

  private static String header(Map<String, List<String>> headers, String name) {
    if (headers == null) {
      return null;
    }
    for (Map.Entry<String, List<String>> header : headers.entrySet()) {
      if (header.getKey() != null && header.getKey().equalsIgnoreCase(name) && !header.getValue().isEmpty()) {
        return header.getValue().get(0);
      }
    }
    return null;
  }

  private static String finishReason(FinishReason reason, List<ToolCall> calls) {
    if (reason == null) {
      return calls.isEmpty() ? "stop" : "tool_calls";
    }
    return switch (reason) {
      case TOOL_EXECUTION -> "tool_calls";
      default -> reason.name().toLowerCase(Locale.ROOT);
    };
  }

  private static TokenUsage usage(ChatResponse response) {
    dev.langchain4j.model.output.TokenUsage usage = response.tokenUsage();
    if (usage == null) {
      return TokenUsage.ZERO;
    }
    return new TokenUsage(orZero(usage.inputTokenCount()), orZero(usage.outputTokenCount()));
  }

  private static long orZero(Integer count) {
    return count == null ? 0 : count;
  }
}
