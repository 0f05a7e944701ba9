package dev.agentflow.tools.builtin;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * {@code http_get}: fetches a URL over http or https, so a model can read a page or an API.
 *
 * <p>Arguments: {@code url}; optional {@code headers}, an object whose values are strings or
 * {@code {"secret": "env:NAME"}} (resolved with the context's secret resolver inside the activity,
 * so tokens never appear in workflow history); optional {@code maxBytes}.
 *
 * <p>Result: {@code {url, status, contentType, body, truncated}}, where {@code url} is the final
 * URL after redirects, {@code contentType} may be null and {@code body} is the text decoded with
 * the response charset (UTF-8 when none is given). The body is cut at the smaller of
 * {@code maxBytes} and {@link ToolContext#maxResultBytes()}; then {@code truncated} is true.
 *
 * <p>Errors: a 4xx other than 429 is a result, not an error, so the model sees its 404. A 5xx, a
 * 429, a connection failure or a timeout is a retryable {@code HttpUnavailable}. A bad URL, a
 * scheme other than http/https, or a bad header is a non-retryable {@code InvalidToolArguments};
 * more than {@value #MAX_REDIRECTS} redirects or a redirect to another scheme is a non-retryable
 * {@code HttpRedirectRefused}.
 *
 * <p>Timeouts: the whole call, connecting, redirects and reading the body included, must finish
 * within {@link ToolContext#timeout()} ({@link #DEFAULT_TIMEOUT} when none is given); connecting
 * alone is also capped at {@link #CONNECT_TIMEOUT} because the client is shared across calls.
 */
public final class HttpGetTool implements Tool {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);
  public static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
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

  private final HttpClient client = HttpClient.newBuilder()
      .connectTimeout(CONNECT_TIMEOUT)
      .followRedirects(HttpClient.Redirect.NEVER)
      .build();

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
    URI uri = parseUrl(context.requiredString("url"));
    Map<String, String> headers = headers(arguments.get("headers"), context.secrets());
    long cap = cap(arguments.get("maxBytes"), context.maxResultBytes());
    Duration timeout = context.timeout() == null || context.timeout().isZero() || context.timeout().isNegative()
        ? DEFAULT_TIMEOUT : context.timeout();
    long deadline = System.nanoTime() + timeout.toNanos();

    for (int redirects = 0; ; redirects++) {
      HttpResponse<CappedBodySubscriber.Body> response = send(uri, headers, cap, deadline, timeout);
      int status = response.statusCode();
      Optional<String> location = response.headers().firstValue("Location");
      if (isRedirect(status) && location.isPresent()) {
        if (redirects == MAX_REDIRECTS) {
          throw ToolException.nonRetryable("HttpRedirectRefused",
              "GET " + uri + ": more than " + MAX_REDIRECTS + " redirects", null);
        }
        URI next = redirectTarget(uri, location.get());
        if (!sameOrigin(uri, next)) {
          headers = Map.of(); // never send credentials to another host
        }
        uri = next;
        continue;
      }
      if (status >= 500 || status == 429) {
        throw ToolException.retryable("HttpUnavailable", "GET " + uri + " returned HTTP " + status, null);
      }
      return result(uri, response);
    }
  }

  private HttpResponse<CappedBodySubscriber.Body> send(
      URI uri, Map<String, String> headers, long cap, long deadline, Duration timeout) throws ToolException {
    long remaining = deadline - System.nanoTime();
    if (remaining <= 0) {
      throw timedOut(uri, timeout, null);
    }
    HttpRequest.Builder request = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofNanos(remaining));
    try {
      headers.forEach(request::header);
    } catch (IllegalArgumentException e) {
      throw ToolException.invalidArguments("headers: " + e.getMessage());
    }
    CompletableFuture<HttpResponse<CappedBodySubscriber.Body>> future =
        client.sendAsync(request.build(), info -> new CappedBodySubscriber(cap));
    try {
      return future.get(remaining, TimeUnit.NANOSECONDS);
    } catch (TimeoutException e) {
      future.cancel(true);
      throw timedOut(uri, timeout, e);
    } catch (InterruptedException e) {
      future.cancel(true);
      Thread.currentThread().interrupt();
      throw ToolException.retryable("HttpUnavailable", "GET " + uri + " was interrupted", e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof HttpTimeoutException) {
        throw timedOut(uri, timeout, cause);
      }
      if (cause instanceof IllegalArgumentException) {
        throw ToolException.invalidArguments("GET " + uri + ": " + cause.getMessage());
      }
      String reason = cause instanceof IOException && cause.getMessage() == null
          ? cause.getClass().getSimpleName() : String.valueOf(cause.getMessage());
      throw ToolException.retryable("HttpUnavailable", "GET " + uri + " failed: " + reason, cause);
    }
  }

  private static ToolException timedOut(URI uri, Duration timeout, Throwable cause) {
    return ToolException.retryable("HttpUnavailable", "GET " + uri + " timed out after " + timeout.toMillis() + " ms", cause);
  }

  private static JsonNode result(URI uri, HttpResponse<CappedBodySubscriber.Body> response) {
    Optional<String> contentType = response.headers().firstValue("Content-Type");
    CappedBodySubscriber.Body body = response.body();
    ObjectNode result = Json.MAPPER.createObjectNode();
    result.put("url", uri.toString());
    result.put("status", response.statusCode());
    result.put("contentType", contentType.orElse(null));
    result.put("body", new String(body.bytes(), charsetOf(contentType.orElse(""))));
    result.put("truncated", body.truncated());
    return result;
  }

  static URI parseUrl(String text) throws ToolException {
    URI uri;
    try {
      uri = new URI(text.strip());
    } catch (URISyntaxException e) {
      throw ToolException.invalidArguments("url is not a valid URL: " + e.getMessage());
    }
    checkHttp(uri, "url");
    return uri;
  }

  private static URI redirectTarget(URI from, String location) throws ToolException {
    URI next;
    try {
      next = from.resolve(new URI(location.strip()));
    } catch (URISyntaxException | IllegalArgumentException e) {
      throw ToolException.nonRetryable("HttpRedirectRefused", "GET " + from + " redirects to an invalid URL: " + location, e);
    }
    try {
      checkHttp(next, "redirect");
    } catch (ToolException e) {
      throw ToolException.nonRetryable("HttpRedirectRefused", "GET " + from + ": " + e.getMessage(), null);
    }
    return next;
  }

  private static void checkHttp(URI uri, String what) throws ToolException {
    String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
    if (!scheme.equals("http") && !scheme.equals("https")) {
      throw ToolException.invalidArguments(
          what + " must use http or https, got " + (scheme.isEmpty() ? "no scheme" : "'" + scheme + "'") + ": " + uri);
    }
    if (uri.getHost() == null || uri.getHost().isEmpty()) {
      throw ToolException.invalidArguments(what + " has no host: " + uri);
    }
  }

  private static boolean sameOrigin(URI a, URI b) {
    return a.getScheme().equalsIgnoreCase(b.getScheme())
        && a.getHost().equalsIgnoreCase(b.getHost())
        && a.getPort() == b.getPort();
  }

  private static boolean isRedirect(int status) {
    return status == 301 || status == 302 || status == 303 || status == 307 || status == 308;
  }

  private static Map<String, String> headers(JsonNode headers, ToolContext.SecretResolver secrets) throws ToolException {
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
        String secret = Objects.requireNonNull(secrets, "no secret resolver").resolve(reference)
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
