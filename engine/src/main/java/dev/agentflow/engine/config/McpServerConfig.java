package dev.agentflow.engine.config;

import com.fasterxml.jackson.annotation.JsonIgnore;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.internal.Durations;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One MCP server of the worker ({@code mcp.<name>} in the engine config): either a command the worker
 * starts and talks to over stdio, or a URL it reaches over streamable HTTP through the egress policy.
 * Definitions name its tools as {@code mcp.<name>/<tool>} (or {@code mcp.<name>/*}).
 *
 * <p>Secrets: a stdio server gets an environment built from nothing but PATH, HOME and a few other
 * variables a program needs ({@link #BASE_ENVIRONMENT}) and its {@code env} entries; an HTTP server
 * gets its {@code headers}. Values there may contain {@code ${env:NAME}}, replaced by the worker's
 * variable {@code NAME} when the session starts: this entry is the operator's grant of that secret to
 * this server, and no other worker variable reaches it.
 *
 * @param command the program of a stdio server (looked up on PATH)
 * @param args its arguments
 * @param env extra environment of a stdio server; values may reference {@code ${env:NAME}}
 * @param url the endpoint of a streamable HTTP server (http or https)
 * @param headers request headers of an HTTP server; values may reference {@code ${env:NAME}}
 * @param timeout one tool call's timeout (the activity's StartToClose), default 60s
 * @param startupTimeout how long starting the server and its initialize handshake may take, default 30s
 * @param retry the retry policy of its tool calls (Temporal's), fields left out keep the default
 * @param maxConcurrent tool calls in flight at once per worker (the slots of its task queue), default 4
 * @param sideEffects tools that must not be retried (MCP has no idempotency keys): called at most once
 */
public record McpServerConfig(
    String command,
    List<String> args,
    Map<String, String> env,
    String url,
    Map<String, String> headers,
    String timeout,
    String startupTimeout,
    Retry retry,
    int maxConcurrent,
    List<String> sideEffects) {

  public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);
  public static final Duration DEFAULT_STARTUP_TIMEOUT = Duration.ofSeconds(30);
  public static final int DEFAULT_MAX_CONCURRENT = 4;
  /** The worker's variables a stdio server inherits (when set): what programs need to run, no secrets. */
  public static final List<String> BASE_ENVIRONMENT =
      List.of("PATH", "HOME", "USER", "LOGNAME", "SHELL", "LANG", "LC_ALL", "LC_CTYPE", "TZ", "TMPDIR", "TEMP", "TMP");

  private static final Pattern SECRET = Pattern.compile("\\$\\{env:([A-Za-z_][A-Za-z0-9_]*)}");

  /**
   * A retry policy written in the config; each field left out keeps {@link RetrySpec#DEFAULT}'s.
   *
   * @param initialInterval duration, e.g. {@code 1s}
   * @param maxInterval duration
   */
  public record Retry(String initialInterval, Double backoff, String maxInterval, Integer maxAttempts) {

    public Retry {
      if (initialInterval != null) {
        Durations.parse(initialInterval);
      }
      if (maxInterval != null) {
        Durations.parse(maxInterval);
      }
      if (backoff != null && backoff < 1.0) {
        throw new IllegalArgumentException("retry.backoff must be at least 1.0, was " + backoff);
      }
      if (maxAttempts != null && maxAttempts < 1) {
        throw new IllegalArgumentException("retry.maxAttempts must be at least 1, was " + maxAttempts);
      }
    }

    RetrySpec toSpec() {
      RetrySpec d = RetrySpec.DEFAULT;
      return new RetrySpec(
          initialInterval == null ? d.initialInterval() : Durations.parse(initialInterval),
          backoff == null ? d.backoff() : backoff,
          maxInterval == null ? d.maxInterval() : Durations.parse(maxInterval),
          maxAttempts == null ? d.maxAttempts() : maxAttempts,
          List.of());
    }
  }

  public McpServerConfig {
    boolean stdio = command != null && !command.isBlank();
    boolean http = url != null && !url.isBlank();
    if (stdio == http) {
      throw new IllegalArgumentException("give either command (a stdio server) or url (a streamable HTTP server)");
    }
    if (http && (args != null && !args.isEmpty() || env != null && !env.isEmpty())) {
      throw new IllegalArgumentException("args and env are for a stdio server (command); an HTTP server takes headers");
    }
    if (stdio && headers != null && !headers.isEmpty()) {
      throw new IllegalArgumentException("headers are for an HTTP server (url); a stdio server takes env");
    }
    args = args == null ? List.of() : List.copyOf(args);
    env = env == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(env));
    headers = headers == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(headers));
    if (timeout != null) {
      Durations.parse(timeout);
    }
    if (startupTimeout != null) {
      Durations.parse(startupTimeout);
    }
    maxConcurrent = maxConcurrent == 0 ? DEFAULT_MAX_CONCURRENT : maxConcurrent;
    if (maxConcurrent < 1) {
      throw new IllegalArgumentException("maxConcurrent must be at least 1, was " + maxConcurrent);
    }
    sideEffects = sideEffects == null ? List.of() : List.copyOf(sideEffects);
  }

  /** A stdio server: {@code command args…}. */
  public static McpServerConfig stdio(String command, List<String> args, Map<String, String> env) {
    return new McpServerConfig(command, args, env, null, null, null, null, null, 0, null);
  }

  /** A streamable HTTP server at {@code url}. */
  public static McpServerConfig http(String url, Map<String, String> headers) {
    return new McpServerConfig(null, null, null, url, headers, null, null, null, 0, null);
  }

  /** This server with another call timeout and start-up timeout (durations such as {@code 2s}). */
  public McpServerConfig withTimeouts(String newTimeout, String newStartupTimeout) {
    return new McpServerConfig(command, args, env, url, headers, newTimeout, newStartupTimeout, retry, maxConcurrent, sideEffects);
  }

  /** This server with another retry policy, concurrency limit and side-effect list. */
  public McpServerConfig withCalls(Retry newRetry, int newMaxConcurrent, List<String> newSideEffects) {
    return new McpServerConfig(command, args, env, url, headers, timeout, startupTimeout, newRetry, newMaxConcurrent, newSideEffects);
  }

  @JsonIgnore
  public boolean isStdio() {
    return command != null && !command.isBlank();
  }

  public Duration callTimeout() {
    return timeout == null ? DEFAULT_TIMEOUT : Durations.parse(timeout);
  }

  public Duration handshakeTimeout() {
    return startupTimeout == null ? DEFAULT_STARTUP_TIMEOUT : Durations.parse(startupTimeout);
  }

  public RetrySpec retrySpec() {
    return retry == null ? RetrySpec.DEFAULT : retry.toSpec();
  }

  /** The program and its arguments. */
  public List<String> commandLine() {
    List<String> line = new ArrayList<>();
    line.add(command);
    line.addAll(args);
    return line;
  }

  /** The worker variables {@code ${env:NAME}} in {@code env} and {@code headers} name, in order. */
  public List<String> secretNames() {
    List<String> names = new ArrayList<>();
    for (String value : isStdio() ? env.values() : headers.values()) {
      Matcher matcher = SECRET.matcher(value == null ? "" : value);
      while (matcher.find()) {
        if (!names.contains(matcher.group(1))) {
          names.add(matcher.group(1));
        }
      }
    }
    return names;
  }

  /**
   * {@code value} with each {@code ${env:NAME}} replaced by the worker's variable.
   *
   * @throws IllegalArgumentException naming the variable when it is not set
   */
  public static String resolve(String value, java.util.function.Function<String, String> environment) {
    Matcher matcher = SECRET.matcher(value == null ? "" : value);
    StringBuilder result = new StringBuilder();
    while (matcher.find()) {
      String secret = environment.apply(matcher.group(1));
      if (secret == null) {
        throw new IllegalArgumentException("${env:" + matcher.group(1) + "} names a variable that is not set");
      }
      matcher.appendReplacement(result, Matcher.quoteReplacement(secret));
    }
    matcher.appendTail(result);
    return result.toString();
  }
}
