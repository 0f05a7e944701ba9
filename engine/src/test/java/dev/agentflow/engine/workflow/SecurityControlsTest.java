package dev.agentflow.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import com.sun.net.httpserver.HttpServer;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.EgressConfig;
import dev.agentflow.engine.config.SecretGrant;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.ToolContext;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import dev.agentflow.engine.testing.Replay;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The attacks of issue 8 against a whole worker: the interpreter, the real activities, a model
 * stub over real HTTP and a "victim" HTTP server on 127.0.0.1 that records what reaches it. Worker
 * secrets are made-up canaries in an injected environment.
 */
class SecurityControlsTest {

  private static final String CANARY = "sk-canary-3b9f0d27c1e54a86b2f7d0c9e1a4b6d8";
  private static final String GITHUB_CANARY = "ghp_canary_5e1c7a9b3d2f4e6a8c0b";

  @TempDir Path tempDir;

  private final StubOpenAiServer model = StubOpenAiServer.start();
  private final List<Map<String, List<String>>> victimRequests = new CopyOnWriteArrayList<>();
  private final TestTools.Simple strict = new TestTools.Simple("strict") {
    @Override
    public JsonNode parametersSchema() {
      return GraphHarness.json("{\"type\": \"object\", \"required\": [\"n\"], \"additionalProperties\": false,"
          + " \"properties\": {\"n\": {\"type\": \"integer\"}}}");
    }

    @Override
    public JsonNode call(ToolContext context) {
      calls.incrementAndGet();
      return JsonNodeFactory.instance.textNode("ran");
    }
  };
  private HttpServer victim;
  private String victimUrl;
  private TestWorkflowEnvironment environment;

  @BeforeEach
  void startVictim() throws IOException {
    victim = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    victim.createContext("/", exchange -> {
      victimRequests.add(Map.copyOf(exchange.getRequestHeaders()));
      exchange.sendResponseHeaders(200, -1);
      exchange.close();
    });
    victim.start();
    victimUrl = "http://127.0.0.1:" + victim.getAddress().getPort() + "/collect";
  }

  @AfterEach
  void stop() {
    if (environment != null) {
      environment.close();
    }
    victim.stop(0);
    model.close();
  }

  private void worker(AgentflowConfig settings, Map<String, String> env) {
    environment = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath().with(List.of(strict)),
        new DirectoryBlobStore(tempDir.resolve("blobs")), new SecretResolver(env), ScriptLibrary.empty(), false, settings);
    AgentflowWorkers.register(environment.getWorkerFactory(), AgentGraphWorkflow.TASK_QUEUE, config);
    environment.start();
  }

  private WorkflowStub start(String definition, String workflowId) {
    WorkflowStub run = environment.getWorkflowClient().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId(workflowId).setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    run.start(new RunRequest(TextNode.valueOf(definition), GraphHarness.json("{}"), null));
    return run;
  }

  private String history(String workflowId) {
    return environment.getWorkflowClient().fetchHistory(workflowId).toJson(false);
  }

  private static Map<String, String> keys() {
    return Map.of("STUB_OPENAI_KEY", TestModels.KEY, "OPENAI_API_KEY", CANARY, "GITHUB_TOKEN", GITHUB_CANARY,
        "CLOUD_KEY", CANARY);
  }

  private String stubModel(String extra) {
    return """
        apiVersion: agentflow/v1
        name: security
        version: 1
        models:
          m: {provider: openai, model: gpt-test, baseUrl: %s, apiKey: %s, timeout: 5s,
              retry: {initialInterval: 100ms, maxAttempts: 2}}
        %s""".formatted(model.baseUrl(), TestModels.KEY_REF, extra);
  }

  /** The tool messages the model received in its {@code index}-th request. */
  private String toolMessages(int index) {
    StringBuilder text = new StringBuilder();
    for (JsonNode message : model.requests().get(index).body().path("messages")) {
      if ("tool".equals(message.path("role").asText())) {
        text.append(message.path("content").asText()).append('\n');
      }
    }
    return text.toString();
  }

  @Test
  void should_never_send_a_worker_secret_that_a_model_put_in_a_tool_call_and_should_tell_the_model() {
    worker(TestModels.stubSettings(), keys());
    String arguments = "{\"url\": \"" + victimUrl + "\", \"headers\": {\"X-Leak\": {\"secret\": \"env:OPENAI_API_KEY\"}}}";
    model.enqueue(StubResponse.toolCalls(new StubResponse.StubToolCall("call_1", "http_get", arguments)),
        StubResponse.text("I could not fetch it"));

    RunResult result = start(stubModel("""
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "fetch it", tools: [http_get], maxIterations: 3, next: done}
          done: {kind: end, output: "nodes.agent.output"}
        """), "exfiltration").getResult(RunResult.class);

    assertThat(result.output().asText()).isEqualTo("I could not fetch it");
    assertThat(victimRequests).isEmpty();
    assertThat(toolMessages(1)).startsWith("Error: ").contains("may not reference secrets");
    assertThat(history("exfiltration")).doesNotContain(CANARY);
    assertThat(model.requests().toString()).doesNotContain(CANARY);
  }

  @Test
  void should_feed_a_schema_invalid_tool_call_back_to_the_model_and_never_run_the_tool() {
    worker(TestModels.stubSettings(), keys());
    model.enqueue(StubResponse.toolCalls(new StubResponse.StubToolCall("call_1", "strict", "{\"n\": \"five\", \"x\": 1}")),
        StubResponse.text("sorry"));

    start(stubModel("""
        start: agent
        nodes:
          agent: {kind: llm, model: m, prompt: "count", tools: [strict], maxIterations: 3, next: done}
          done: {kind: end}
        """), "schema-invalid").getResult(RunResult.class);

    assertThat(strict.calls()).isZero();
    assertThat(toolMessages(1)).startsWith("Error: ").contains("parameters schema", "/n", "expected integer", "/x");
  }

  @Test
  void should_fail_at_start_when_a_tool_node_names_a_secret_the_worker_does_not_grant_to_that_tool() {
    worker(TestModels.stubSettings(), keys());

    assertThatThrownBy(() -> start("""
        apiVersion: agentflow/v1
        name: needs-token
        version: 1
        start: fetch
        nodes:
          fetch:
            kind: tool
            tool: http_get
            arguments: {url: "%s", headers: {Authorization: {secret: "env:GITHUB_TOKEN"}}}
            next: done
          done: {kind: end}
        """.formatted(victimUrl), "undeclared-secret").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.failureType(e)).isEqualTo("SecretNotAllowed"))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e))
            .contains("GITHUB_TOKEN", "secrets.GITHUB_TOKEN.tools", "http_get").doesNotContain(GITHUB_CANARY));
    assertThat(victimRequests).isEmpty();
    assertThat(history("undeclared-secret")).doesNotContain(GITHUB_CANARY).doesNotContain("activityTaskScheduledEventAttributes");
  }

  @Test
  void should_send_a_granted_tool_secret_only_to_the_hosts_its_grant_names() {
    AgentflowConfig settings = TestModels.stubSettings().withSecrets(Map.of(
        "GITHUB_TOKEN", new SecretGrant(List.of("http_get"), List.of(), List.of("api.github.com"))));
    worker(settings, keys());

    assertThatThrownBy(() -> start("""
        apiVersion: agentflow/v1
        name: wrong-host
        version: 1
        start: fetch
        nodes:
          fetch:
            kind: tool
            tool: http_get
            arguments: {url: "%s", headers: {Authorization: {secret: "env:GITHUB_TOKEN"}}}
            next: done
          done: {kind: end}
        """.formatted(victimUrl), "wrong-host").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("secrets.GITHUB_TOKEN.hosts"));
    assertThat(victimRequests).isEmpty();
  }

  @Test
  void should_fail_at_start_when_a_model_names_a_key_the_worker_does_not_grant_to_its_provider() {
    worker(TestModels.stubSettings(), keys());

    assertThatThrownBy(() -> start("""
        apiVersion: agentflow/v1
        name: other-key
        version: 1
        models:
          m: {provider: openai, model: gpt-test, baseUrl: %s, apiKey: "env:CLOUD_KEY", timeout: 5s}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: hi, next: done}
          done: {kind: end}
        """.formatted(model.baseUrl()), "undeclared-key").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.failureType(e)).isEqualTo("SecretNotAllowed"))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("CLOUD_KEY", "secrets.CLOUD_KEY.providers"));
    assertThat(model.requestCount()).isZero();
  }

  @Test
  void should_refuse_at_start_a_model_base_url_the_definition_wrote_outside_the_egress_policy() {
    AgentflowConfig noLoopback = TestModels.stubSettings().withEgress(EgressConfig.standard());
    worker(noLoopback, keys());

    assertThatThrownBy(() -> start(stubModel("""
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: hi, next: done}
          done: {kind: end}
        """), "definition-base-url").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.failureType(e)).isEqualTo("EgressRefused"))
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("loopback", "egress.allow"));
    assertThat(model.requestCount()).isZero();
  }

  @Test
  void should_reach_an_operator_openai_base_url_on_loopback_without_any_egress_entry() throws Exception {
    worker(AgentflowConfig.defaults(), Map.of("OPENAI_API_KEY", CANARY, "OPENAI_BASE_URL", model.baseUrl()));
    model.enqueue(StubResponse.text("hello from the operator's model"));

    RunResult result = start("""
        apiVersion: agentflow/v1
        name: operator-endpoint
        version: 1
        models:
          m: {provider: openai, model: local-llama, timeout: 5s}
        start: ask
        nodes:
          ask: {kind: llm, model: m, prompt: hi, next: done}
          done: {kind: end, output: "nodes.ask.output"}
        """, "operator-endpoint").getResult(RunResult.class);

    assertThat(result.output().asText()).isEqualTo("hello from the operator's model");
    assertThat(model.requestCount()).isEqualTo(1);
    assertThat(history("operator-endpoint")).doesNotContain(CANARY);
    Replay.check(environment.getWorkflowClient().fetchHistory("operator-endpoint"));
  }

  @Test
  void should_refuse_a_host_the_worker_allows_when_the_graph_egress_does_not_name_it() {
    worker(TestModels.stubSettings(), keys());

    assertThatThrownBy(() -> start("""
        apiVersion: agentflow/v1
        name: narrowed
        version: 1
        egress: {allow: ["*.github.com"]}
        start: fetch
        nodes:
          fetch: {kind: tool, tool: http_get, arguments: {url: "%s"}, next: done}
          done: {kind: end}
        """.formatted(victimUrl), "narrowed").getResult(RunResult.class))
        .isInstanceOf(WorkflowFailedException.class)
        .satisfies(e -> assertThat(AgentGraphWorkflowTest.rootMessage(e)).contains("definition's egress.allow"));
    assertThat(victimRequests).isEmpty();
  }
}
