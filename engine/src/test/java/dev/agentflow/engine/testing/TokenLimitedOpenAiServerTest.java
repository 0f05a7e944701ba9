package dev.agentflow.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** The stub enforces tokens per minute the way providers do. */
class TokenLimitedOpenAiServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private HttpResponse<String> ask(TokenLimitedOpenAiServer stub, String content, int maxTokens) throws Exception {
    String body = "{\"model\":\"m\",\"max_tokens\":" + maxTokens + ",\"messages\":[{\"role\":\"user\",\"content\":\""
        + content + "\"}]}";
    return http.send(HttpRequest.newBuilder(URI.create(stub.baseUrl() + "/chat/completions"))
        .POST(HttpRequest.BodyPublishers.ofString(body)).header("Content-Type", "application/json").build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_answer_with_real_usage_and_refuse_with_429_and_headers_once_prompt_plus_max_tokens_would_pass_the_limit()
      throws Exception {
    try (TokenLimitedOpenAiServer stub = TokenLimitedOpenAiServer.start(1000, 100, Duration.ZERO)) {
      HttpResponse<String> first = ask(stub, "x".repeat(400), 500);   // 100 prompt + 500 max: counts 100 + 100
      HttpResponse<String> second = ask(stub, "x".repeat(400), 701);  // 200 used + 100 + 701 > 1000

      assertThat(first.statusCode()).isEqualTo(200);
      assertThat(first.body()).contains("\"total_tokens\":200");
      assertThat(first.headers().firstValue("x-ratelimit-remaining-tokens")).contains("800");
      assertThat(second.statusCode()).isEqualTo(429);
      assertThat(second.headers().firstValue("Retry-After")).isPresent();
      assertThat(second.headers().firstValue("x-ratelimit-reset-tokens").orElseThrow()).endsWith("ms");
      assertThat(stub.refused()).isEqualTo(1);
      assertThat(stub.mostTokensInAnyMinute()).isEqualTo(200);
    }
  }
}
