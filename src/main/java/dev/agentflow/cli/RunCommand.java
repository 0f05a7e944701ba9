package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.Problem;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.Runs;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.Progress;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.TraceEntry;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/**
 * {@code agentflow run}: validates a definition and its input, starts a run, prints each node as
 * it finishes, then the output. With no {@code --address} it brings up an in-process Temporal
 * server and worker, so one command runs a graph on a fresh machine.
 */
@Command(name = "run", description = "Run a definition and print its trace and output.")
final class RunCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "DEFINITION", description = "definition file (YAML or JSON)")
  Path definition;

  @Option(names = "--input", defaultValue = "{}", paramLabel = "JSON|@FILE", description = "run input (default: {})")
  String input;

  @Mixin TemporalOptions temporal;

  @Mixin EngineOptions engine;

  @Option(names = "--workflow-id", description = "workflow id (default: <graph>-<random>)")
  String workflowId;

  @Option(names = "--task-queue", defaultValue = AgentGraphWorkflow.TASK_QUEUE, description = "task queue (default: ${DEFAULT-VALUE})")
  String taskQueue;

  @Option(names = "--send", paramLabel = "EVENT=JSON",
      description = "send this event as a signal when the run waits for it (repeatable), e.g. approve='{\"approved\": true}'")
  List<String> send;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();

    String text;
    try {
      text = Files.readString(definition);
    } catch (IOException e) {
      err.println("✘ cannot read " + definition + ": " + e.getMessage());
      return 2;
    }
    EngineConfig config = engine.config(definition, err);
    LoadedDefinition loaded;
    try {
      loaded = new DefinitionLoader(config.tools().names()).load(definition);
    } catch (DefinitionException e) {
      err.println("✘ " + definition);
      e.problems().forEach(problem -> err.println("  " + problem));
      return 1;
    }
    EventsToSend events;
    try {
      events = EventsToSend.parse(send);
    } catch (IllegalArgumentException e) {
      err.println("✘ " + e.getMessage());
      return 2;
    }
    JsonNode inputJson;
    try {
      inputJson = readInput();
    } catch (IOException e) {
      err.println("✘ --input: " + e.getMessage());
      return 2;
    }
    List<Problem> inputProblems = InputValidator.forGraph(loaded.graph()).validate(inputJson);
    if (!inputProblems.isEmpty()) {
      err.println("✘ the input does not match the input schema of " + definition);
      inputProblems.forEach(problem -> err.println("  " + problem));
      return 1;
    }
    if (temporal.embedded() || engine.configFile != null) {
      List<PolicyViolation> violations = PolicyReport.check(config.policy(), !config.forceOffline(), loaded);
      if (!violations.isEmpty()) {
        err.println("✘ the worker's policy" + (engine.configFile == null ? "" : " (" + engine.configFile + ")")
            + " does not allow what " + definition + " asks:");
        violations.forEach(violation -> err.println("  " + violation));
        return 1;
      }
    }

    try (Backend backend = temporal.embedded() ? Backend.embedded(config, taskQueue) : Backend.remote(temporal)) {
      WorkflowClient client = backend.client();
      String id = workflowId != null ? workflowId : loaded.graph().name() + "-" + UUID.randomUUID();
      // The canonical JSON carries every subgraph pinned: the run never reads a file again.
      RunRequest request =
          new RunRequest(JSON.readTree(loaded.canonicalJson()), inputJson, new RunOptions(definition.toString(), null));
      WorkflowStub stub = Runs.newStub(client, loaded, id, taskQueue);
      WorkflowExecution execution = stub.start(request);
      out.printf("▶ %s v%d  workflow %s  (%s)%n", loaded.graph().name(), loaded.graph().version(),
          execution.getWorkflowId(), backend.describe());
      out.flush();
      return follow(stub, out, err, started, events);
    } catch (McpServers.McpStartupException e) {
      err.println("✘ " + e.getMessage());
      return 1;
    }
  }

  private int follow(WorkflowStub stub, PrintWriter out, PrintWriter err, long started, EventsToSend events)
      throws InterruptedException {
    CompletableFuture<RunResult> result = stub.getResultAsync(RunResult.class);
    int printed = 0;
    Progress last = null;
    while (true) {
      try {
        RunResult done = result.get(200, TimeUnit.MILLISECONDS);
        printed = print(done.trace(), printed, out);
        out.println("✓ output:");
        out.println(pretty(done.output()));
        out.printf("  tokens: %d in, %d out%s   wall time: %d ms%n", done.usage().total().inputTokens(),
            done.usage().total().outputTokens(),
            done.usage().costUsd() > 0 ? String.format(java.util.Locale.ROOT, ", cost $%.6f", done.usage().costUsd()) : "",
            (System.nanoTime() - started) / 1_000_000);
        out.flush();
        return 0;
      } catch (TimeoutException e) {
        try {
          last = stub.query("progress", Progress.class);
          printed = print(last.trace(), printed, out);
          events.onProgress(stub, last, out);
        } catch (RuntimeException queryFailed) {
          // the first workflow task may not have run yet; try again on the next tick
        }
      } catch (ExecutionException e) {
        Throwable cause = e.getCause();
        err.println("✘ run failed" + (last != null && last.currentNode() != null ? " in node '" + last.currentNode() + "'" : "") + ":");
        err.println("  " + Failures.describe(cause instanceof WorkflowFailedException failed ? failed.getCause() : cause));
        err.flush();
        return 1;
      }
    }
  }

  private static int print(List<TraceEntry> trace, int printed, PrintWriter out) {
    for (int i = printed; i < trace.size(); i++) {
      TraceEntry entry = trace.get(i);
      String tokens = entry.inputTokens() + entry.outputTokens() > 0
          ? String.format("  %d+%d tokens", entry.inputTokens(), entry.outputTokens()) : "";
      String next = entry.next() != null ? "  → " + entry.next() : "";
      String outcome = "ok".equals(entry.outcome()) ? "" : "  (" + entry.outcome() + ")";
      out.printf("  %2d. %-14s %-5s %6d ms%s%s%s%n", entry.step(), entry.node(), entry.kind(),
          entry.durationMillis(), tokens, outcome, next);
    }
    out.flush();
    return trace.size();
  }

  private JsonNode readInput() throws IOException {
    String source = input.startsWith("@") ? Files.readString(Path.of(input.substring(1))) : input;
    try {
      return JSON.readTree(source);
    } catch (JsonProcessingException e) {
      throw new IOException("not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static String pretty(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Where the run happens: an in-process server with a worker, or a remote cluster. */
  interface Backend extends AutoCloseable {
    WorkflowClient client();

    String describe();

    @Override
    void close();

    static Backend embedded(EngineConfig config, String taskQueue) {
      EmbeddedTemporal embedded = EmbeddedTemporal.start(config, taskQueue);
      return new Backend() {
        public WorkflowClient client() {
          return embedded.client();
        }

        public String describe() {
          return "embedded Temporal test server";
        }

        public void close() {
          embedded.close();
        }
      };
    }

    static Backend remote(TemporalOptions temporal) throws IOException {
      WorkflowServiceStubs service = temporal.connect();
      WorkflowClient client = temporal.client(service);
      return new Backend() {
        public WorkflowClient client() {
          return client;
        }

        public String describe() {
          return temporal.address + ", namespace " + temporal.namespace + "; needs a running agentflow worker";
        }

        public void close() {
          service.shutdown();
        }
      };
    }
  }
}
