package dev.agentflow.engine.llm.openai;

import dev.langchain4j.exception.HttpException;

/**
 * A failed HTTP response with what langchain4j's own exception drops: the {@code Retry-After}
 * header. It extends {@link HttpException} so langchain4j maps it as usual (and keeps it as the
 * cause), and our classifier finds it in the cause chain.
 */
final class ProviderHttpException extends HttpException {

  private final String body;
  private final String retryAfterHeader;

  ProviderHttpException(int statusCode, String body, String retryAfterHeader) {
    super(statusCode, body);
    this.body = body;
    this.retryAfterHeader = retryAfterHeader;
  }

  String body() {
    return body;
  }

  /** The raw {@code Retry-After} header, or null. */
  String retryAfterHeader() {
    return retryAfterHeader;
  }
}
