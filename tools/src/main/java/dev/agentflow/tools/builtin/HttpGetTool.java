package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import dev.agentflow.tools.egress.EgressRefusedException;
import dev.agentflow.tools.egress.InterruptibleCall;
import dev.agentflow.tools.egress.EgressSession;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import okhttp3.Call;
import okhttp3.Headers;
import okhttp3.HttpUrl;
import okhttp3.Request;
import okhttp3.Response;
import okio.BufferedSource;

/**
 * {@code http_get}: fetches a URL over http or https, so a model can read a page or an API.
 *
 * <p>Arguments: {@code url}; optional {@code headers}, an object of strings (a definition's {@code
 * tool} node may also give {@code {"secret": "env:NAME"}}, resolved inside the activity for this
 * tool and this host, so tokens never appear in workflow history; a model may not); optional
 * {@code maxBytes}.
 *
 * <p>Result: {@code {url, status, contentType, body, truncated}}, where {@code url} is the final
 * URL after redirects, {@code contentType} may be null and {@code body} is the text decoded with
 * the response charset (UTF-8 when none is given). The body is cut at the smaller of
 * {@code maxBytes} and {@link ToolContext#maxResultBytes()}; then {@code truncated} is true.
 *
 * <p>Network: every URL and every redirect goes through the context's {@link EgressSession} (the
 * worker's egress policy and the definition's narrowing), and the connection goes to the address
 * that was checked. User info, backslashes and control characters in a URL are refused.
 *
 * <p>Errors: a 4xx other than 429 is a result, not an error, so the model sees its 404. A 5xx, a
 * 429, a connection failure or a timeout is a retryable {@code HttpUnavailable}. A bad URL, a
 * scheme other than http/https, or a bad header is a non-retryable {@code InvalidToolArguments}; a
 * host the egress policy refuses (first URL or any redirect) is a non-retryable {@code
 * EgressRefused}; more than {@value #MAX_REDIRECTS} redirects or a redirect to an unusable URL is a
 * non-retryable {@code HttpRedirectRefused}.
 *
 * <p>Timeouts: the whole call, connecting, redirects and reading the body included, must finish
 * within {@link ToolContext#timeout()} ({@link #DEFAULT_TIMEOUT} when none is given); connecting
 * to one address alone is also capped at {@link #CONNECT_TIMEOUT}.
 */
public final class HttpGetTool implements Tool {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration CONNECT_TIMEOUT = dev.agentflow.tools.egress.Egress.CONNECT_TIMEOUT;
  public static final long DEFAULT_MAX_BYTES = 1024 * 1024;
  public static final int MAX_REDIRECTS = 5;

  private static final JsonNode SCHEMA = Json.schema("""
      {"type": "object",
       "required": ["url"],
       "properties": {
         "url": {"type": "string", "description": "An absolute http or https URL."},
         "headers": {"type": "object", "description": "Request headers by name.",
                     "additionalProperties": {"type": "string"}},
         "maxBytes": {"type": "integer", "minimum": 1, "description": "Read at most this many bytes of the body."}},
       "additionalProperties": false}
      """);

  @Override
  public String name() {
    return "http_get";
  }

  @Override
  public String description() {
    return "Fetches a URL with HTTP GET and returns {url, status, contentType, body, truncated}. "
        + "Error statuses such as 404 are returned, not raised. Large bodies are cut off (truncated: true).";
  }

  @Override
  public JsonNode parametersSchema() {
    return SCHEMA;
  }

  @Override
  public JsonNode call(ToolContext context) throws ToolException {
    ObjectNode arguments = Json.arguments(context);
    EgressSession egress = context.egress();
    HttpUrl url = firstUrl(egress, context.requiredString("url"));
    Map<String, String> headers = headers(arguments.get("headers"), context.secrets(), url.host());
    long cap = cap(arguments.get("maxBytes"), context.maxResultBytes());
    Duration timeout = context.timeout() == null || context.timeout().isZero() || context.timeout().isNegative()
        ? DEFAULT_TIMEOUT : context.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();

    for (int redirects = 0; ; redirects++) {
      try (Response response = send(egress, url, headers, deadline, timeout)) {
        int status = response.code();
        String location = response.header("Location");
        if (isRedirect(status) && location != null) {
          if (redirects == MAX_REDIRECTS) {
            throw ToolException.nonRetryable("HttpRedirectRefused",
                "GET " + url + ": more than " + MAX_REDIRECTS + " redirects", null);
          }
          HttpUrl next = redirectTarget(egress, url, location);
          if (!sameOrigin(url, next)) {
            headers = Map.of(); // never send credentials to another origin
          }
          url = next;
          continue;
        }
        if (status >= 500 || status == 429) {
          throw ToolException.retryable("HttpUnavailable", "GET " + url + " returned HTTP " + status, null);
        }
        return result(url, response, cap, timeout);
      }
    }
  }

  private static HttpUrl firstUrl(EgressSession egress, String text) throws ToolException {
    try {
      return egress.checkUrl(text.strip());
    } catch (IllegalArgumentException e) {
      throw ToolException.invalidArguments(e.getMessage());
    } catch (EgressRefusedException e) {
      throw refused("GET", e);
    }
  }

  private static HttpUrl redirectTarget(EgressSession egress, HttpUrl from, String location) throws ToolException {
    try {
      return egress.checkRedirect(from, location.strip());
    } catch (IllegalArgumentException e) {
      throw ToolException.nonRetryable("HttpRedirectRefused", "GET " + from + ": " + e.getMessage(), null);
    } catch (EgressRefusedException e) {
      throw ToolException.nonRetryable(EgressRefusedException.TYPE,
          "GET " + from + " redirects to a refused host: " + e.getMessage(), null);
    }
  }

  private static ToolException refused(String what, EgressRefusedException e) {
    return ToolException.nonRetryable(EgressRefusedException.TYPE, what + ": " + e.getMessage(), null);
  }

  private static Response send(
      EgressSession egress, HttpUrl url, Map<String, String> headers, long deadline, Duration timeout)
      throws ToolException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut(url, timeout, null);
    }
    Request.Builder request = new Request.Builder().url(url).get();
    try {
      request.headers(Headers.of(headers));
    } catch (IllegalArgumentException e) {
      throw ToolException.invalidArguments("headers: " + e.getMessage());
    }
    Call call = egress.client().newCall(request.build());
    call.timeout().timeout(remaining, TimeUnit.NANOSECONDS);
    try {
      return InterruptibleCall.execute(call);
    } catch (IOException e) {
      throw failed(url, timeout, e);
    }
  }

  private static ToolException failed(HttpUrl url, Duration timeout, IOException e) {
    EgressRefusedException refused = EgressRefusedException.find(e);
    if (refused != null) {
      return ToolException.nonRetryable(EgressRefusedException.TYPE, "GET " + url + ": " + refused.getMessage(), null);
    }
    if (e instanceof InterruptedIOException) {
      if (Thread.currentThread().isInterrupted()) {
        return ToolException.retryable("HttpUnavailable", "GET " + url + " was interrupted", e);
      }
      return timedOut(url, timeout, e);
    }
    String reason = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return ToolException.retryable("HttpUnavailable", "GET " + url + " failed: " + reason, e);
  }

  private static ToolException timedOut(HttpUrl url, Duration timeout, Throwable cause) {
    return ToolException.retryable("HttpUnavailable", "GET " + url + " timed out after " + timeout.toMillis() + " ms", cause);
  }

  private static JsonNode result(HttpUrl url, Response response, long cap, Duration timeout) throws ToolException {
    String contentType = response.header("Content-Type");
    byte[] bytes;
    boolean truncated;
    try {
      BufferedSource source = response.body().source();
      long limit = Math.min(cap, Integer.MAX_VALUE - 8L);
      truncated = source.request(limit + 1);
      bytes = source.getBuffer().readByteArray(Math.min(limit, source.getBuffer().size()));
    } catch (IOException e) {
      throw failed(url, timeout, e);
    }
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("url", url.toString());
    result.put("status", response.code());
    result.put("contentType", contentType);
    result.put("body", new String(bytes, charsetOf(contentType == null ? "" : contentType)));
    result.put("truncated", truncated);
    return result;
  }

  private static boolean sameOrigin(HttpUrl a, HttpUrl b) {
    return a.scheme().equals(b.scheme()) && a.host().equals(b.host()) && a.port() == b.port();
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static Map<String, String> headers(JsonNode headers, ToolContext.SecretResolver secrets, String host)
      throws ToolException {
    Map<String, String> result = new LinkedHashMap<>();
    if (headers == null || headers.isNull()) {
      return result;
    }
    if (!headers.isObject()) {
      throw ToolException.invalidArguments("argument 'headers' must be an object of header names to values");
    }
    for (Map.Entry<String, JsonNode> header : headers.properties()) {
      JsonNode value = header.getValue();
      if (value.isTextual()) {
        result.put(header.getKey(), value.asText());
      } else if (value.isObject() && value.path("secret").isTextual() && value.size() == 1) {
        String reference = value.get("secret").asText();
        String secret = Objects.requireNonNull(secrets, "no secret resolver").resolveFor(reference, host)
            .orElseThrow(() -> ToolException.nonRetryable(
                "SecretNotFound", "header '" + header.getKey() + "' refers to secret " + reference + ", which is not set", null));
        result.put(header.getKey(), secret);
      } else {
        throw ToolException.invalidArguments(
            "header '" + header.getKey() + "' must be a string or {\"secret\": \"env:NAME\"}");
      }
    }
    return result;
  }

  private static long cap(JsonNode maxBytes, long contextLimit) throws ToolException {
    long cap = contextLimit > 0 ? contextLimit : DEFAULT_MAX_BYTES;
    if (maxBytes == null || maxBytes.isNull()) {
      return cap;
    }
    if (!maxBytes.canConvertToExactIntegral() || !maxBytes.canConvertToLong() || maxBytes.asLong() < 1) {
      throw ToolException.invalidArguments("argument 'maxBytes' must be a positive integer, got " + maxBytes);
    }
    return Math.min(cap, maxBytes.asLong());
  }

  private static Charset charsetOf(String contentType) {
    for (String parameter : contentType.split(";")) {
      String[] pair = parameter.trim().split("=", 2);
      if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("charset")) {
        try {
          return Charset.forName(pair[1].trim().replace("\"", ""));
        } catch (IllegalArgumentException e) {
          return StandardCharsets.UTF_8;
        }
      }
    }
    return StandardCharsets.UTF_8;
  }
}
