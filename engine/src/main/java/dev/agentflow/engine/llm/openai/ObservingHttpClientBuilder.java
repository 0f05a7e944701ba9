package dev.agentflow.engine.llm.openai;

import dev.agentflow.tools.egress.EgressSession;
import dev.langchain4j.http.client.HttpClient;
import dev.langchain4j.http.client.HttpClientBuilder;
import java.time.Duration;

/** Plugs {@link ObservingHttpClient} into {@code OpenAiChatModel.builder().httpClientBuilder(…)}. */
final class ObservingHttpClientBuilder implements HttpClientBuilder {

  private final EgressSession session;
  private Duration connectTimeout;
  private Duration readTimeout;

  ObservingHttpClientBuilder(EgressSession session) {
    this.session = session;
  }

  @Override
  public Duration connectTimeout() {
    return connectTimeout;
  }

  @Override
  public HttpClientBuilder connectTimeout(Duration timeout) {
    this.connectTimeout = timeout;
    return this;
  }

  @Override
  public Duration readTimeout() {
    return readTimeout;
  }

  @Override
  public HttpClientBuilder readTimeout(Duration timeout) {
    this.readTimeout = timeout;
    return this;
  }

  @Override
  public HttpClient build() {
    return new ObservingHttpClient(session, connectTimeout, readTimeout);
  }
}
