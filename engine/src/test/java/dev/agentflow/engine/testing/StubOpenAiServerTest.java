package dev.agentflow.engine.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

class StubOpenAiServerTest {

  private final HttpClient http = HttpClient.newHttpClient();

  private CompletableFuture<HttpResponse<String>> post(StubOpenAiServer stub, String path) {
    HttpRequest request =
        HttpRequest.newBuilder(URI.create(stub.baseUrl().replace("/v1", "") + path))
            .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"m\"}"))
            .build();
    return http.sendAsync(request, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void should_answer_in_script_order_then_with_the_fallback_and_record_requests() throws Exception {
    try (StubOpenAiServer stub = StubOpenAiServer.start()) {
      stub.enqueue(StubResponse.rateLimited("3"), StubResponse.text("hi"));

      HttpResponse<String> first = post(stub, "/v1/chat/completions").get();
      HttpResponse<String> second = post(stub, "/chat/completions").get();
      HttpResponse<String> third = post(stub, "/v1/chat/completions").get();

      assertThat(first.statusCode()).isEqualTo(429);
      assertThat(first.headers().firstValue("Retry-After")).contains("3");
      assertThat(second.statusCode()).isEqualTo(200);
      assertThat(second.body()).contains("\"content\":\"hi\"");
      assertThat(third.statusCode()).isEqualTo(500);
      assertThat(stub.requestCount()).isEqualTo(3);
      assertThat(stub.requests().get(1).path()).isEqualTo("/chat/completions");
      assertThat(stub.requests().get(0).body().path("model").asText()).isEqualTo("m");
    }
  }

  @Test
  void should_count_the_peak_number_of_requests_in_flight() throws Exception {
    try (StubOpenAiServer stub = StubOpenAiServer.start()) {
      stub.whenScriptEmpty(StubResponse.text("slow").delayedBy(Duration.ofMillis(500)));
      List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
      for (int i = 0; i < 3; i++) {
        calls.add(post(stub, "/v1/chat/completions"));
      }
      CompletableFuture.allOf(calls.toArray(CompletableFuture[]::new)).get();

      assertThat(stub.peakInFlight()).isEqualTo(3);
      assertThat(stub.requestCount()).isEqualTo(3);
    }
  }
}
