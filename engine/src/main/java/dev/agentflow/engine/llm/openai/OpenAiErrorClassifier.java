package dev.agentflow.engine.llm.openai;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.llm.LlmCallException;
import dev.agentflow.tools.egress.EgressRefusedException;
import dev.langchain4j.exception.ContentFilteredException;
import java.io.IOException;
import java.time.Clock;
import java.util.Set;

/**
 * Turns whatever came out of a langchain4j call into one {@link LlmCallException}: the only place
 * that knows OpenAI's error shapes. Status codes decide, except that a 400 whose error code says
 * content filter is a {@code ContentFilterError}. Anything unrecognised is assumed transient.
 */
final class OpenAiErrorClassifier {

  private static final ObjectMapper JSON = JsonMappers.json();
  private static final Set<String> CONTENT_FILTER_CODES = Set.of("content_filter", "content_policy_violation");
  private static final int MAX_BODY_IN_MESSAGE = 500;

  private final Clock clock;

  OpenAiErrorClassifier(Clock clock) {
    this.clock = clock;
  }

  /**
   * @param failure what the model call threw
   * @param where who was called, for the message (no secrets)
   * @param redactor removes the API key from any text taken from the failure
   */
  LlmCallException classify(Throwable failure, String where, SecretRedactor redactor) {
    EgressRefusedException refused = EgressRefusedException.find(failure);
    if (refused != null) {
      return LlmCallException.egressRefused(where + ": " + redactor.redact(refused.getMessage()));
    }
    ProviderHttpException http = find(failure, ProviderHttpException.class);
    if (http != null) {
      return classifyHttp(http, where, redactor);
    }
    if (find(failure, ContentFilteredException.class) != null) {
      return LlmCallException.contentFilter(where + ": the provider refused the content: "
          + redactor.redact(describe(find(failure, ContentFilteredException.class))));
    }
    Throwable io = find(failure, IOException.class);
    String reason = redactor.redact(describe(io != null ? io : failure));
    return LlmCallException.providerUnavailable(where + ": " + reason);
  }

  private LlmCallException classifyHttp(ProviderHttpException http, String where, SecretRedactor redactor) {
    int status = http.statusCode();
    String message = where + ": HTTP " + status + ": " + redactor.redact(shorten(http.body()));
    if (status == 429) {
      return LlmCallException.rateLimited(message, RetryAfter.parse(http.retryAfterHeader(), clock).orElse(null));
    }
    if (status == 401 || status == 403) {
      return LlmCallException.authentication(message);
    }
    if (status == 404) {
      return LlmCallException.modelNotFound(message);
    }
    if (status == 408 || status == 409 || status >= 500) {
      return LlmCallException.providerUnavailable(message);
    }
    if (isContentFilter(http.body())) {
      return LlmCallException.contentFilter(message);
    }
    return LlmCallException.invalidPrompt(message);
  }

  private static boolean isContentFilter(String body) {
    try {
      JsonNode error = JSON.readTree(body == null ? "" : body).path("error");
      return CONTENT_FILTER_CODES.contains(error.path("code").asText())
          || CONTENT_FILTER_CODES.contains(error.path("type").asText());
    } catch (IOException notJson) {
      return false;
    }
  }

  private static <T extends Throwable> T find(Throwable failure, Class<T> type) {
    for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static String describe(Throwable t) {
    String message = t.getMessage();
    return t.getClass().getSimpleName() + (message == null ? "" : ": " + shorten(message));
  }

  private static String shorten(String text) {
    if (text == null) {
      return "";
    }
    return text.length() <= MAX_BODY_IN_MESSAGE ? text : text.substring(0, MAX_BODY_IN_MESSAGE) + "…";
  }
}
