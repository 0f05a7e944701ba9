package dev.agentflow.engine.llm.openai;

import dev.agentflow.tools.egress.EgressRefusedException;
import dev.agentflow.tools.egress.EgressSession;
import dev.agentflow.tools.egress.InterruptibleCall;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpRequest;
import dev.langchain4j.http.client.SuccessfulHttpResponse;
import dev.langchain4j.http.client.sse.ServerSentEventListener;
import dev.langchain4j.http.client.sse.ServerSentEventParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import okhttp3.HttpUrl;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.RequestBody;
import okhttp3.Response;

/**
 * A langchain4j {@link HttpClient} on the worker's egress client (OkHttp) that, unlike
 * langchain4j's own, keeps the status, body and {@code Retry-After} header of a failed response (as
 * a {@link ProviderHttpException}). Every request URL goes through the model's {@link
 * EgressSession}: checked against the egress policy for a {@code baseUrl} a definition wrote,
 * trusted for the operator's endpoint. Redirects are not followed (a model API does not redirect;
 * a 3xx fails the call). Synchronous calls only: the activity never streams.
 */
final class ObservingHttpClient implements HttpClient {

  private final EgressSession session;
  private final OkHttpClient client;

  ObservingHttpClient(EgressSession session, Duration connectTimeout, Duration readTimeout) {
    this.session = session;
    OkHttpClient.Builder builder = session.client().newBuilder();
    if (connectTimeout != null) {
      builder.connectTimeout(connectTimeout);
    }
    if (readTimeout != null) {
      builder.readTimeout(readTimeout).callTimeout(readTimeout);
    }
    this.client = builder.build();
  }

  @Override
  public SuccessfulHttpResponse execute(HttpRequest request) {
    HttpUrl url;
    try {
      url = session.checkUrl(request.url());
    } catch (IllegalArgumentException e) {
      throw new UncheckedIOException(new EgressRefusedException("the model endpoint is not usable: " + e.getMessage()));
    } catch (EgressRefusedException e) {
      throw new UncheckedIOException(e);
    }
    try (Response response = InterruptibleCall.execute(client.newCall(toOkHttpRequest(url, request)))) {
      String body = response.body().string();
      if (response.code() < 200 || response.code() >= 300) {
        throw new ProviderHttpException(response.code(), body, response.header("Retry-After"));
      }
      return SuccessfulHttpResponse.builder()
          .statusCode(response.code())
          .headers(response.headers().toMultimap())
          .body(body)
          .build();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void execute(HttpRequest request, ServerSentEventParser parser, ServerSentEventListener listener) {
    throw new UnsupportedOperationException("agentflow does not stream model replies");
  }

  private static Request toOkHttpRequest(HttpUrl url, HttpRequest request) {
    Request.Builder builder = new Request.Builder().url(url);
    request.headers().forEach((name, values) -> values.forEach(value -> builder.addHeader(name, value)));
    RequestBody body = request.body() == null ? null : RequestBody.create(request.body(), null);
    String method = request.method().name();
    if (body == null && (method.equals("POST") || method.equals("PUT") || method.equals("PATCH"))) {
      body = RequestBody.create(new byte[0], null);
    }
    builder.method(method, body);
    return builder.build();
  }
}
