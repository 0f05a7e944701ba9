package dev.agentflow.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An OpenAI-compatible chat endpoint that plays an agent's model without a script, so any number of
 * runs can share it at once: while a request carries fewer than {@code toolRounds} tool messages it
 * asks for one call of {@code big_result}, then it answers {@code done}. An agent sends the whole
 * conversation on every call, so the count is the iteration. Records arrival times, the most
 * requests in flight at once and the most tool results one request carried.
 */
public final class AgentLoopModel implements AutoCloseable {

  public static final String TOOL = "big_result";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final HttpServer server;
  private final ExecutorService executor = Executors.newCachedThreadPool();
  private final ConcurrentLinkedQueue<Long> arrivals = new ConcurrentLinkedQueue<>();
  private final AtomicInteger inFlight = new AtomicInteger();
  private final AtomicInteger peakInFlight = new AtomicInteger();
  private final AtomicInteger mostToolResults = new AtomicInteger();
  private volatile int toolRounds;
  private volatile Duration latency = Duration.ZERO;

  private AgentLoopModel(HttpServer server) {
    this.server = server;
  }

  public static AgentLoopModel start() {
    try {
      HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 1024);
      AgentLoopModel stub = new AgentLoopModel(server);
      server.createContext("/v1/chat/completions", stub::handle);
      server.setExecutor(stub.executor);
      server.start();
      return stub;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start the stub model", e);
    }
  }

  public String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/v1";
  }

  /** Sets the behaviour of the next scenario and forgets what the last one recorded. */
  public void reset(int rounds, Duration delay) {
    this.toolRounds = rounds;
    this.latency = delay;
    arrivals.clear();
    peakInFlight.set(0);
    mostToolResults.set(0);
  }

  /** Arrival times ({@link System#nanoTime()}) of the requests since the last reset, in order. */
  public List<Long> arrivals() {
    List<Long> sorted = new ArrayList<>(arrivals);
    sorted.sort(null);
    return sorted;
  }

  public int peakInFlight() {
    return peakInFlight.get();
  }

  /** The most tool results a single request carried since the last reset: how far an agent got. */
  public int mostToolResults() {
    return mostToolResults.get();
  }

  @Override
  public void close() {
    server.stop(0);
    executor.shutdownNow();
  }

  private void handle(HttpExchange exchange) throws IOException {
    arrivals.add(System.nanoTime());
    peakInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
    try (exchange) {
      JsonNode request;
      try (InputStream in = exchange.getRequestBody()) {
        request = JSON.readTree(in);
      }
      int toolMessages = 0;
      for (JsonNode message : request.path("messages")) {
        if ("tool".equals(message.path("role").asText())) {
          toolMessages++;
        }
      }
      mostToolResults.accumulateAndGet(toolMessages, Math::max);
      if (!latency.isZero()) {
        Thread.sleep(latency.toMillis());
      }
      byte[] body = reply(toolMessages < toolRounds, toolMessages).getBytes(StandardCharsets.UTF_8);
      exchange.getResponseHeaders().set("Content-Type", "application/json");
      exchange.sendResponseHeaders(200, body.length);
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } finally {
      inFlight.decrementAndGet();
    }
  }

  private static String reply(boolean callTool, int round) {
    ObjectNode root = JSON.createObjectNode();
    root.put("id", "chatcmpl-bench-" + round);
    root.put("object", "chat.completion");
    root.put("created", 1_700_000_000L);
    root.put("model", "bench");
    ObjectNode choice = root.putArray("choices").addObject();
    choice.put("index", 0);
    ObjectNode message = choice.putObject("message");
    message.put("role", "assistant");
    if (callTool) {
      message.putNull("content");
      ObjectNode call = message.putArray("tool_calls").addObject();
      call.put("id", "call_" + round);
      call.put("type", "function");
      call.putObject("function").put("name", TOOL).put("arguments", "{\"round\":" + round + "}");
      choice.put("finish_reason", "tool_calls");
    } else {
      message.put("content", "done");
      choice.put("finish_reason", "stop");
    }
    ObjectNode usage = root.putObject("usage");
    usage.put("prompt_tokens", 100);
    usage.put("completion_tokens", 10);
    usage.put("total_tokens", 110);
    return root.toString();
  }
}
