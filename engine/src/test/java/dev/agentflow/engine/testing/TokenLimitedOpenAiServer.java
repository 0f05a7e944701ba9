package dev.agentflow.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * An OpenAI-compatible {@code /v1/chat/completions} on 127.0.0.1 that enforces a tokens-per-minute
 * limit the way providers do: a request counts its prompt ({@link #promptTokens}: one token per
 * {@value #CHARS_PER_TOKEN} characters of message content) plus its {@code max_tokens}, and is
 * refused with a 429 ({@code Retry-After}, {@code x-ratelimit-remaining-tokens}, {@code
 * x-ratelimit-reset-tokens}) when that would take the last 60 seconds past the limit; an answered
 * request then counts what it really used (prompt + {@code completionTokens}, at most {@code
 * max_tokens}), and its reply carries the same headers. It records every answered request, so a
 * test can check any one-minute window, and counts the 429s.
 */
public final class TokenLimitedOpenAiServer implements AutoCloseable {

  static final int CHARS_PER_TOKEN = 4;
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Duration MINUTE = Duration.ofSeconds(60);

  /** One answered request: when it arrived and the tokens it used. */
  public record Served(Instant at, long tokens) {}

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final long tokensPerMinute;
  private final int completionTokens;
  private final Duration latency;
  private final Clock clock = Clock.systemUTC();
  private final List<Served> served = new ArrayList<>();
  private int refused;

  private TokenLimitedOpenAiServer(HttpServer server, long tokensPerMinute, int completionTokens, Duration latency) {
    this.server = server;
    this.tokensPerMinute = tokensPerMinute;
    this.completionTokens = completionTokens;
    this.latency = latency;
  }

  /**
   * Starts a stub on 127.0.0.1 and a free port.
   *
   * @param completionTokens the length of every reply, in tokens
   * @param latency how long each answer takes
   */
  public static TokenLimitedOpenAiServer start(long tokensPerMinute, int completionTokens, Duration latency) {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
      TokenLimitedOpenAiServer stub = new TokenLimitedOpenAiServer(server, tokensPerMinute, completionTokens, latency);
      server.createContext("/v1/chat/completions", stub::handle);
      server.setExecutor(stub.executor);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the token-limited stub", e);
    }
  }

  /** The value for a model's {@code baseUrl}. */
  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** The prompt tokens this stub counts for a request body. */
  public static long promptTokens(JsonNode body) {
    long chars = 0;
    for (JsonNode message : body.path("messages")) {
      chars += message.path("content").asText("").length();
    }
    return (chars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
  }

  /** Every answered request, in arrival order. */
  public synchronized List<Served> served() {
    return List.copyOf(served);
  }

  /** How many requests were refused with a 429. */
  public synchronized int refused() {
    return refused;
  }

  /** The most tokens answered requests used in any 60-second window (each starting at an arrival). */
  public synchronized long mostTokensInAnyMinute() {
    long most = 0;
    for (Served from : served) {
      most = Math.max(most, tokensBetween(from.at(), from.at().plus(MINUTE)));
    }
    return most;
  }

  /** Tokens of the requests that arrived in {@code [from, to)}. */
  public synchronized long tokensBetween(Instant from, Instant to) {
    return served.stream().filter(s -> !s.at().isBefore(from) && s.at().isBefore(to)).mapToLong(Served::tokens).sum();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      JsonNode body;
      try (InputStream in = exchange.getRequestBody()) {
        body = JSON.readTree(in.readAllBytes());
      }
      long prompt = promptTokens(body);
      long maxTokens = body.path("max_tokens").asLong(body.path("max_completion_tokens").asLong(completionTokens));
      long completion = Math.min(completionTokens, maxTokens);
      Instant now = clock.instant();
      boolean admitted;
      long remaining;
      Duration reset;
      synchronized (this) {
        long used = tokensBetween(now.minus(MINUTE), now.plusNanos(1));
        admitted = used + prompt + maxTokens <= tokensPerMinute;
        if (admitted) {
          served.add(new Served(now, prompt + completion));
          used += prompt + completion;
        } else {
          refused++;
        }
        remaining = Math.max(0, tokensPerMinute - used);
        reset = untilOldestLeaves(now);
      }
      String resetText = reset.toMillis() + "ms";
      if (!admitted) {
        long seconds = Math.max(1, (reset.toMillis() + 999) / 1000);
        exchange.getResponseHeaders().set("Retry-After", String.valueOf(seconds));
        exchange.getResponseHeaders().set("x-ratelimit-limit-tokens", String.valueOf(tokensPerMinute));
        exchange.getResponseHeaders().set("x-ratelimit-remaining-tokens", String.valueOf(remaining));
        exchange.getResponseHeaders().set("x-ratelimit-reset-tokens", resetText);
        send(exchange, StubResponse.error(429, "rate_limit_exceeded", "tokens per minute exceeded").body(), 429);
        return;
      }
      Thread.sleep(latency.toMillis());
      exchange.getResponseHeaders().set("x-ratelimit-limit-tokens", String.valueOf(tokensPerMinute));
      exchange.getResponseHeaders().set("x-ratelimit-remaining-tokens", String.valueOf(remaining));
      exchange.getResponseHeaders().set("x-ratelimit-reset-tokens", resetText);
      send(exchange, StubResponse.text("ok", (int) prompt, (int) completion).body(), 200);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (IOException clientWentAway) {
      // nothing to answer
    }
  }

  private Duration untilOldestLeaves(Instant now) {
    for (Served s : served) {
      if (s.at().plus(MINUTE).isAfter(now)) {
        return Duration.between(now, s.at().plus(MINUTE));
      }
    }
    return Duration.ZERO;
  }

  private static void send(HttpExchange exchange, String body, int status) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }
}
