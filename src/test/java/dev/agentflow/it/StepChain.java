package dev.agentflow.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * A chain of {@code n} llm nodes {@code s1 → s2 → … → sn → done}, each on its own model and its own
 * {@link StubOpenAiServer}, so the requests each node caused are counted exactly, and each node
 * gets a reply (and token counts) of its own whatever order retries arrive in. The end node returns
 * every reply and the run's total tokens, so two runs that did the same work return the same output.
 */
final class StepChain implements AutoCloseable {

  /** The worker resolves each model's key from this variable; any value works with the stub. */
  static final String KEY_VARIABLE = "AGENTFLOW_IT_KEY";

  private static final ObjectMapper JSON = new ObjectMapper();

  private final List<StubOpenAiServer> stubs = new ArrayList<>();
  private final Duration modelTimeout;

  /**
   * @param latency how long each stub takes to answer
   * @param modelTimeout each call's StartToClose timeout: how long a call lost with its worker waits before retrying
   */
  StepChain(int steps, Duration latency, Duration modelTimeout) {
    this.modelTimeout = modelTimeout;
    for (int step = 1; step <= steps; step++) {
      stubs.add(StubOpenAiServer.start().whenScriptEmpty(StubResponse.text(reply(step), 10 * step, step).delayedBy(latency)));
    }
  }

  static String reply(int step) {
    return "reply from step " + step;
  }

  int steps() {
    return stubs.size();
  }

  /** Requests the stub of {@code step} (1-based) has received. */
  int requestsOf(int step) {
    return stubs.get(step - 1).requestCount();
  }

  /** The requests the stub of {@code step} (1-based) has received, oldest first. */
  List<StubOpenAiServer.RecordedRequest> requests(int step) {
    return stubs.get(step - 1).requests();
  }

  List<Integer> requestsPerStep() {
    List<Integer> counts = new ArrayList<>();
    for (int step = 1; step <= steps(); step++) {
      counts.add(requestsOf(step));
    }
    return counts;
  }

  int totalRequests() {
    return requestsPerStep().stream().mapToInt(Integer::intValue).sum();
  }

  /** Tokens of a run in which every step's reply counted once. */
  long expectedTokens() {
    long tokens = 0;
    for (int step = 1; step <= steps(); step++) {
      tokens += 10L * step + step;
    }
    return tokens;
  }

  String definitionYaml() {
    StringBuilder yaml = new StringBuilder();
    yaml.append("apiVersion: agentflow/v1\nname: it-step-chain\nversion: 1\nmodels:\n");
    for (int step = 1; step <= steps(); step++) {
      yaml.append("  m").append(step).append(": {provider: openai, model: gpt-it, baseUrl: '")
          .append(stubs.get(step - 1).baseUrl()).append("', apiKey: 'env:").append(KEY_VARIABLE)
          .append("', timeout: ").append(modelTimeout.toMillis()).append("ms")
          .append(", retry: {initialInterval: 200ms, backoff: 2.0, maxInterval: 1s, maxAttempts: 10}}\n");
    }
    yaml.append("start: s1\nnodes:\n");
    StringBuilder replies = new StringBuilder();
    for (int step = 1; step <= steps(); step++) {
      String next = step == steps() ? "done" : "s" + (step + 1);
      yaml.append("  s").append(step).append(": {kind: llm, model: m").append(step)
          .append(", prompt: 'Step ").append(step).append(" of ").append(steps()).append(".', next: ").append(next).append("}\n");
      replies.append(step == 1 ? "" : ", ").append("nodes.s").append(step).append(".output");
    }
    yaml.append("  done: {kind: end, output: '({replies: [").append(replies).append("], tokens: usage.totalTokens})'}\n");
    return yaml.toString();
  }

  /** The workflow input any Temporal client would send: {@code {definition, input, options}}. */
  JsonNode runRequest() {
    ObjectNode request = JSON.createObjectNode();
    request.put("definition", definitionYaml());
    request.putObject("input");
    request.putNull("options");
    return request;
  }

  /** The output of a run that did every step. */
  JsonNode expectedOutput() {
    ObjectNode output = JSON.createObjectNode();
    var replies = output.putArray("replies");
    for (int step = 1; step <= steps(); step++) {
      replies.add(reply(step));
    }
    output.put("tokens", expectedTokens());
    return normalized(output);
  }

  /** The value as it comes back from a workflow result (JSON numbers read as the smallest type). */
  static JsonNode normalized(JsonNode value) {
    try {
      return JSON.readTree(value.toString());
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Waits until the condition holds, polling every 10 ms. */
  static void await(BooleanSupplier condition, Duration timeout, String what) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("timed out after " + timeout.toSeconds() + " s waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Override
  public void close() {
    stubs.forEach(StubOpenAiServer::close);
  }
}
