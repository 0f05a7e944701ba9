package dev.agentflow.cli;

import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import io.temporal.workflow.Functions;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow replay}: the gate before a new build of the interpreter becomes current. Downloads
 * the histories of runs from the server (by visibility query, by workflow id, or every {@code
 * AgentGraph} run) and replays each on this build's interpreter with Temporal's {@link
 * WorkflowReplayer}; the first history whose commands this build would not emit again stops it with
 * exit code 1, naming the run and the divergence.
 */
@Command(name = "replay", mixinStandardHelpOptions = true,
    description = "Replay histories of runs from the server on this build; exit 1 at the first divergence.")
final class ReplayCommand implements Callable<Integer> {

  /** The query when neither --query nor --workflow-id is given. */
  static final String ALL_RUNS = "WorkflowType = '" + AgentGraphWorkflow.TYPE + "'";

  /** Replay is not a race: a cold JVM on a busy machine must not fail it with the 1 s deadlock detector. */
  private static final long DEADLOCK_DETECTION_MILLIS = 30_000;

  @Option(names = "--query", paramLabel = "QUERY",
      description = "visibility query choosing the runs (default: every AgentGraph run), e.g. \"AgentflowGraph='x' AND StartTime > '2026-01-01T00:00:00Z'\"")
  String query;

  @Option(names = "--workflow-id", paramLabel = "ID", description = "a workflow to replay, every run of it (repeatable)")
  List<String> workflowIds;

  @Option(names = "--limit", defaultValue = "1000", paramLabel = "N", description = "at most this many runs (default: ${DEFAULT-VALUE})")
  int limit;

  @Mixin TemporalOptions temporal;

  @Spec CommandSpec spec;

  private final Functions.Func<AgentGraphWorkflow> interpreter;

  ReplayCommand() {
    this(AgentGraphWorkflowImpl::new);
  }

  /** With another interpreter: what a test uses to show a non-deterministic build is caught. */
  ReplayCommand(Functions.Func<AgentGraphWorkflow> interpreter) {
    this.interpreter = interpreter;
  }

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (query != null && workflowIds != null) {
      throw CliException.usage("give --query or --workflow-id, not both");
    }
    if (limit < 1) {
      throw CliException.usage("--limit must be at least 1");
    }
    if (temporal.embedded()) {
      temporal.address = SignalCommand.DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service = temporal.connect();
    try (TestWorkflowEnvironment replayer = TestWorkflowEnvironment.newInstance()) {
      WorkflowClient client = temporal.client(service);
      Worker worker = replayer.newWorker("replay",
          WorkerOptions.newBuilder().setDefaultDeadlockDetectionTimeout(DEADLOCK_DETECTION_MILLIS).build());
      worker.registerWorkflowImplementationFactory(AgentGraphWorkflow.class, interpreter);
      List<WorkflowExecution> runs = runs(client);
      if (runs.isEmpty()) {
        err.println("✘ no runs to replay" + (workflowIds != null ? "" : " match " + (query != null ? query : ALL_RUNS)));
        err.flush();
        return CliException.FAILED;
      }
      int replayed = 0;
      for (WorkflowExecution run : runs) {
        WorkflowExecutionHistory history = client.fetchHistory(run.getWorkflowId(), run.getRunId());
        try {
          WorkflowReplayer.replayWorkflowExecution(history, worker);
        } catch (Exception e) {
          err.printf("✘ %s (run %s) does not replay on this build, after %d that did:%n  %s%n", run.getWorkflowId(),
              run.getRunId(), replayed, divergence(e));
          err.flush();
          return CliException.FAILED;
        }
        replayed++;
      }
      out.printf("✓ %d run(s) replay on this build%n", replayed);
      out.flush();
      return 0;
    } catch (WorkflowNotFoundException e) {
      throw CliException.failed("no workflow " + e.getExecution().getWorkflowId() + " in namespace " + temporal.namespace
          + " on " + temporal.address);
    } finally {
      service.shutdown();
    }
  }

  /** Each cause of a failed replay on one line: the replayer wraps the NonDeterministicException it met. */
  static String divergence(Throwable failure) {
    List<String> lines = new ArrayList<>();
    for (Throwable current = failure; current != null && lines.size() < 8; current = current.getCause()) {
      String message = current.getMessage() == null ? ""
          : String.join("\n    ", current.getMessage().lines().filter(line -> !line.isBlank()).limit(6).toList());
      lines.add(current.getClass().getSimpleName() + (message.isBlank() ? "" : ": " + message));
      if (current.getCause() == current) {
        break;
      }
    }
    return String.join("\n  caused by ", lines);
  }

  /** The runs to replay: every run of each id given (oldest first), or those the query lists. */
  private List<WorkflowExecution> runs(WorkflowClient client) {
    List<WorkflowExecution> runs = new ArrayList<>();
    if (workflowIds != null) {
      for (String id : workflowIds) {
        List<WorkflowExecution> ofId = new ArrayList<>(runsOf(client, id));
        Collections.reverse(ofId);
        runs.addAll(ofId);
      }
    } else {
      client.listExecutions(query != null ? query : ALL_RUNS).limit(limit).forEach(e -> runs.add(e.getExecution()));
    }
    return runs.size() > limit ? runs.subList(0, limit) : runs;
  }

  /** Every run of a workflow id, newest first; the latest alone where the server has no visibility queries. */
  private static List<WorkflowExecution> runsOf(WorkflowClient client, String id) {
    List<WorkflowExecution> runs;
    try {
      runs = client.listExecutions("WorkflowId = '" + id.replace("'", "\\'") + "'").map(e -> e.getExecution()).toList();
    } catch (StatusRuntimeException noVisibility) {
      runs = List.of();
    }
    if (!runs.isEmpty()) {
      return runs;
    }
    return List.of(client.getWorkflowServiceStubs().blockingStub().describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(client.getOptions().getNamespace())
                .setExecution(WorkflowExecution.newBuilder().setWorkflowId(id))
                .build())
        .getWorkflowExecutionInfo().getExecution());
  }
}
