package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.RunEventsFollower;
import dev.agentflow.engine.Runs;
import dev.agentflow.engine.mcp.McpServers;
import dev.agentflow.engine.policy.PolicyViolation;
import dev.agentflow.engine.registry.GraphReference;
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
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Collectors;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow run}: validates a definition, its input and the events to send, starts a run,
 * prints its live events as they happen (each node as it finishes, each model and tool call, a
 * progress line per fan-out), then the output. Everything that can be checked is checked before
 * the run starts, so a mistake never leaves a run behind. With no {@code --address} it brings up an
 * embedded Temporal server and worker on a loopback port it prints, so one command runs a graph on
 * a fresh machine and a waiting run can be answered from another terminal.
 */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run a definition and print its trace and output.")
final class RunCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "DEFINITION",
      description = "definition file (YAML or JSON), or a registry reference: NAME@ALIAS, NAME:VERSION, NAME (latest)")
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
      description = "send this event when the run waits for it (repeatable), e.g. approve='{\"approved\": true}'")
  List<String> send;

  @Option(names = "--port", defaultValue = "0", paramLabel = "PORT",
      description = "loopback port of the embedded Temporal server (default: any free port; printed when the run starts)")
  int port;

  @Option(names = "--max-bytes", defaultValue = "" + ReadLimits.DEFAULT_MAX_BYTES, paramLabel = "BYTES",
      description = "largest definition file read (default: ${DEFAULT-VALUE})")
  int maxBytes;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    long started = System.nanoTime();

    if (!Files.exists(definition) && GraphReference.looksLikeReference(definition.toString())) {
      return runByReference(GraphReference.parse(definition.toString()), out, err, started);
    }
    checkCommandLine();
    EmbeddedStart early = temporal.embedded() ? EmbeddedStart.begin(port) : null;
    try {
      EventsToSend events = EventsToSend.parse(send);
      LocatedDocument inputDocument = JsonArgument.parse("--input", input);
      EngineConfig config = engine.config(definition, err);
      StartupTimings.mark("engine config read");
      LoadedDefinition loaded;
      try {
        loaded = new DefinitionLoader(config.tools().names(), ReadLimits.DEFAULTS.withMaxBytes(maxBytes)).load(definition);
      } catch (DefinitionException e) {
        throw CliException.failed(definition + "\n" + JsonArgument.indented(e));
      }
      StartupTimings.mark("definition loaded and validated");
      List<Problem> inputProblems = InputValidator.forGraph(loaded.graph()).validate(inputDocument.root());
      if (!inputProblems.isEmpty()) {
        throw CliException.failed("the input does not match the input schema of " + definition + "\n"
            + inputDocument.locate(inputProblems).stream().map(problem -> "  " + problem).collect(Collectors.joining("\n")));
      }
      StartupTimings.mark("input validated");
      if (temporal.embedded() || engine.configFile != null) {
        List<PolicyViolation> violations = PolicyReport.check(config.policy(), !config.forceOffline(), loaded);
        if (!violations.isEmpty()) {
          throw CliException.failed("the worker's policy" + (engine.configFile == null ? "" : " (" + engine.configFile + ")")
              + " does not allow what " + definition + " asks:\n"
              + violations.stream().map(violation -> "  " + violation).collect(Collectors.joining("\n")));
        }
      }
      events.check(WaitEvents.of(loaded.graph()));
      // The canonical JSON carries every subgraph pinned: the run never reads a file again.
      RunRequest request = new RunRequest(JSON.readTree(loaded.canonicalJson()), inputDocument.root(),
          new RunOptions(definition.toString(), null));
      PayloadLimit.check(request);
      StartupTimings.mark("definition, input and policy checked");

      try (Backend backend = early != null ? Backend.embedded(config, taskQueue, early) : Backend.remote(temporal)) {
        String id = workflowId != null ? workflowId : loaded.graph().name() + "-" + UUID.randomUUID();
        WorkflowStub stub = Runs.newStub(backend.client(), loaded, id, taskQueue);
        WorkflowExecution execution = stub.start(request);
        StartupTimings.mark("run started");
        out.printf("▶ %s v%d  workflow %s  (%s)%n", loaded.graph().name(), loaded.graph().version(),
            execution.getWorkflowId(), backend.describe());
        out.flush();
        return follow(stub, backend.client(), out, err, started, events, backend.address());
      }
    } finally {
      if (early != null) {
        early.abandonUnlessTaken();
      }
    }
  }

  /**
   * A run of a registered graph: the run resolves the reference itself (its history records the
   * version it got), against the registry of the worker: the embedded one uses this command's
   * registry options ({@code --config}, {@code --blob-dir}, {@code --registry-dir}). The input and the
   * events are checked by the run when it starts.
   */
  private int runByReference(GraphReference reference, PrintWriter out, PrintWriter err, long started)
      throws InterruptedException {
    checkOptions();
    EventsToSend events = EventsToSend.parse(send);
    LocatedDocument inputDocument = JsonArgument.parse("--input", input);
    EngineConfig config = engine.config(null, err);
    RunRequest request = RunRequest.byReference(reference.toString(), inputDocument.root(), null);
    PayloadLimit.check(request);
    EmbeddedStart early = temporal.embedded() ? EmbeddedStart.begin(port) : null;
    try (Backend backend = early != null ? Backend.embedded(config, taskQueue, early) : Backend.remote(temporal)) {
      String id = workflowId != null ? workflowId : reference.name() + "-" + UUID.randomUUID();
      WorkflowStub stub = Runs.newStubByReference(backend.client(), reference.toString(), id, taskQueue);
      WorkflowExecution execution = stub.start(request);
      out.printf("▶ %s  workflow %s  (%s)%n", reference, execution.getWorkflowId(), backend.describe());
      out.flush();
      return follow(stub, backend.client(), out, err, started, events, backend.address());
    } finally {
      if (early != null) {
        early.abandonUnlessTaken();
      }
    }
  }

  /** What can be wrong with the command line itself: usage errors, before anything is read or started. */
  private void checkCommandLine() {
    OptionFiles.requireFile("DEFINITION", definition);
    checkOptions();
  }

  private void checkOptions() {
    if (workflowId != null && workflowId.isBlank()) {
      throw CliException.usage("--workflow-id is empty (leave it out for <graph>-<random>)");
    }
    if (taskQueue.isBlank()) {
      throw CliException.usage("--task-queue is empty");
    }
    if (port < 0 || port > 65535) {
      throw CliException.usage("--port " + port + " is not a port (0 to 65535)");
    }
    if (maxBytes < 1) {
      throw CliException.usage("--max-bytes must be at least 1");
    }
    if (!temporal.embedded()) {
      temporal.check();
    }
    engine.check();
  }

  private int follow(WorkflowStub stub, WorkflowClient client, PrintWriter out, PrintWriter err, long started,
      EventsToSend events, String address) throws InterruptedException {
    CompletableFuture<RunResult> result = stub.getResultAsync(RunResult.class);
    boolean askedAgain = false;
    RunLiveEvents live = new RunLiveEvents(new RunEventsFollower(client, stub.getExecution().getWorkflowId()),
        new EventPrinter(out, true));
    int printed = 0;
    Progress last = null;
    while (true) {
      try {
        RunResult done = result.get(200, TimeUnit.MILLISECONDS);
        StartupTimings.mark("run finished");
        live.drain();
        printed = print(done.trace(), Math.max(printed, live.steps()), out);
        out.println("✓ output:");
        out.println(pretty(done.output()));
        out.printf("  tokens: %d in, %d out%s   wall time: %d ms%n", done.usage().total().inputTokens(),
            done.usage().total().outputTokens(),
            done.usage().costUsd() > 0 ? String.format(java.util.Locale.ROOT, ", cost $%.6f", done.usage().costUsd()) : "",
            (System.nanoTime() - started) / 1_000_000);
        out.flush();
        return 0;
      } catch (TimeoutException e) {
        live.poll();
        if (live.closed() && !askedAgain) {
          // Temporal's in-memory server can miss waking a result long poll that spans a
          // continue-as-new: once the chain has closed, asking again answers at once.
          result = stub.getResultAsync(RunResult.class);
          askedAgain = true;
        }
        Progress progress = progress(stub);
        if (progress != null) {
          last = progress;
          if (!live.live()) {
            printed = print(last.trace(), printed, out);
          }
          events.onProgress(stub, last, out, address, temporal.namespace);
        }
      } catch (ExecutionException e) {
        live.drain();
        Throwable cause = e.getCause();
        Progress atFailure = progress(stub); // the last poll may predate the node that failed
        last = atFailure != null ? atFailure : last;
        err.println("✘ run failed" + (last != null && last.currentNode() != null ? " in node '" + last.currentNode() + "'" : "") + ":");
        err.println("  " + Failures.describe(cause instanceof WorkflowFailedException failed ? failed.getCause() : cause));
        err.flush();
        return 1;
      }
    }
  }

  /** The run's progress, or null before its first workflow task has run. */
  private static Progress progress(WorkflowStub stub) {
    try {
      return stub.query("progress", Progress.class);
    } catch (RuntimeException notYet) {
      return null;
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

  private static String pretty(JsonNode value) {
    try {
      return JSON.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      return String.valueOf(value);
    }
  }

  /** Where the run happens: the embedded server with a worker, or a remote cluster. */
  interface Backend extends AutoCloseable {
    WorkflowClient client();

    String describe();

    /** Where another process reaches the run's server. */
    String address();

    @Override
    void close();

    static Backend embedded(EngineConfig config, String taskQueue, EmbeddedStart start) {
      EmbeddedTemporal embedded;
      try {
        embedded = EmbeddedTemporal.serve(start.take(), config, taskQueue);
      } catch (java.io.UncheckedIOException | McpServers.McpStartupException e) {
        throw CliException.failed(e.getMessage());
      }
      return new Backend() {
        public WorkflowClient client() {
          return embedded.client();
        }

        public String describe() {
          return "embedded Temporal server on " + embedded.address();
        }

        public String address() {
          return embedded.address();
        }

        public void close() {
          if (AgentflowCommand.exitsAfterCommand()) {
            embedded.closeBeforeExit();
          } else {
            embedded.close();
          }
          StartupTimings.mark("embedded server and worker stopped");
        }
      };
    }

    static Backend remote(TemporalOptions temporal) {
      WorkflowServiceStubs service = temporal.connect();
      WorkflowClient client = temporal.client(service);
      return new Backend() {
        public WorkflowClient client() {
          return client;
        }

        public String describe() {
          return temporal.address + ", namespace " + temporal.namespace + "; needs a running agentflow worker";
        }

        public String address() {
          return temporal.address;
        }

        public void close() {
          service.shutdown();
        }
      };
    }
  }
}
