package dev.agentflow.bench;

import dev.agentflow.engine.testing.AgentLoopModel;
import dev.agentflow.engine.testing.BigResultTool;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The baseline's activities: {@code callLlm} posts the message list to an OpenAI-compatible endpoint
 * over the JDK's HTTP client; {@code executeTool} returns {@link BigResultTool#SIZE_BYTES} of text.
 */
final class SeedActivitiesImpl implements SeedActivities {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
  private final URI endpoint;

  SeedActivitiesImpl(String baseUrl) {
    this.endpoint = URI.create(baseUrl + "/chat/completions");
  }

  @Override
  public Seed.LlmResponse callLlm(List<Seed.Message> messages) {
    ObjectNode body = JSON.createObjectNode().put("model", "bench");
    for (Seed.Message message : messages) {
      ObjectNode m = body.withArray("messages").addObject().put("role", message.role()).put("content", message.content());
      if (message.toolCallId() != null) {
        m.put("tool_call_id", message.toolCallId());
      }
    }
    body.withArray("tools").addObject().put("type", "function").putObject("function").put("name", AgentLoopModel.TOOL);
    try {
      HttpResponse<String> response = http.send(
          HttpRequest.newBuilder(endpoint).header("Content-Type", "application/json")
              .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build(),
          HttpResponse.BodyHandlers.ofString());
      if (response.statusCode() != 200) {
        throw ApplicationFailure.newFailure("model answered " + response.statusCode(), "ProviderError");
      }
      JsonNode message = JSON.readTree(response.body()).path("choices").path(0).path("message");
      List<Seed.ToolCall> calls = new ArrayList<>();
      for (JsonNode call : message.path("tool_calls")) {
        calls.add(new Seed.ToolCall(call.path("id").asText(), call.path("function").path("name").asText(),
            call.path("function").path("arguments").asText()));
      }
      return new Seed.LlmResponse(calls.isEmpty(), message.path("content").asText(null), calls);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure("cannot reach the model: " + e.getMessage(), "ProviderUnavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  @Override
  public Seed.ToolResult executeTool(Seed.ToolCall call) {
    return new Seed.ToolResult(BigResultTool.text(call.arguments()));
  }
}
