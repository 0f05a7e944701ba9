package dev.agentflow.engine.llm.openai;

import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A langchain4j {@link HttpClient} on the JDK client that, unlike langchain4j's own, keeps the
 * status, body and {@code Retry-After} header of a failed response (as a {@link
 * ProviderHttpException}). Synchronous calls only: the activity never streams.
 */
final class ObservingHttpClient implements HttpClient {

  private final java.net.http.HttpClient client;
  private final Duration readTimeout;

  ObservingHttpClient(Duration connectTimeout, Duration readTimeout) {
    java.net.http.HttpClient.Builder builder = java.net.http.HttpClient.newBuilder();
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
    this.client = builder.build();
    this.readTimeout = readTimeout;
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpResponse<byte[]> response;
    try {
      response = client.send(toJdkRequest(request), HttpResponse.BodyHandlers.ofByteArray());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new UncheckedIOException(new InterruptedIOException("interrupted while waiting for the model"));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String body = new String(response.body(), StandardCharsets.UTF_8);
    if (response.statusCode() < 200 || response.statusCode() >= 300) {
      throw new ProviderHttpException(
          response.statusCode(), body, response.headers().firstValue("Retry-After").orElse(null));
    }
    return SuccessfulHttpResponse.builder()
        .statusCode(response.statusCode())
        .headers(response.headers().map())
        .body(body)
        .build();
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    throw new UnsupportedOperationException("agentflow does not stream model replies");
  }

  private java.net.http.HttpRequest toJdkRequest(HttpRequest request) {
    java.net.http.HttpRequest.Builder builder = java.net.http.HttpRequest.newBuilder(URI.create(request.url()));
    request.headers().forEach((name, values) -> values.forEach(value -> builder.header(name, value)));
    java.net.http.HttpRequest.BodyPublisher body =
        request.body() == null
            ? java.net.http.HttpRequest.BodyPublishers.noBody()
            : java.net.http.HttpRequest.BodyPublishers.ofString(request.body());
    builder.method(request.method().name(), body);
    if (readTimeout != null) {
      builder.timeout(readTimeout);
    }
    return builder.build();
  }
}
