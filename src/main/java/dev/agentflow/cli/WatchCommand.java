package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.RunEventsFollower;
import dev.agentflow.engine.workflow.RunEvent;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow watch}: follows any AgentGraph run (started by {@code agentflow run}, {@code
 * agentflow start} or the stock {@code temporal workflow start}) from its start or from an offset,
 * printing its live events until it ends, across continue-as-new. Needs a worker serving the run
 * (the events come from the {@code events} query).
 */
@Command(name = "watch", mixinStandardHelpOptions = true,
    description = "Follow a run's live events (nodes, model calls, tool calls, fan-out progress) until it ends.")
final class WatchCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's workflow id")
  String workflowId;

  @Option(names = "--from", defaultValue = "0", paramLabel = "OFFSET", description = "first event offset (default: 0, the start)")
  long from;

  @Option(names = "--json", description = "one JSON object per event (with its offset) instead of text")
  boolean json;

  @Option(names = "--interval", defaultValue = "250", paramLabel = "MS", description = "time between polls (default: ${DEFAULT-VALUE} ms)")
  long intervalMillis;

  @Mixin TemporalOptions temporal;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (workflowId.isBlank()) {
      throw CliException.usage("WORKFLOW_ID must not be empty");
    }
    if (from < 0) {
      throw CliException.usage("--from " + from + " is negative");
    }
    if (intervalMillis < 10) {
      throw CliException.usage("--interval must be at least 10 ms");
    }
    if (temporal.embedded()) {
      temporal.address = SignalCommand.DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service = temporal.connect();
    try {
      WorkflowClient client = temporal.client(service);
      return follow(new RunEventsFollower(client, workflowId), out, err);
    } catch (WorkflowNotFoundException e) {
      throw CliException.failed("no workflow '" + workflowId + "' in namespace " + temporal.namespace + " on " + temporal.address);
    } finally {
      service.shutdown();
    }
  }

  private int follow(RunEventsFollower follower, PrintWriter out, PrintWriter err) throws InterruptedException {
    EventPrinter printer = new EventPrinter(out, from == 0);
    long next = from;
    while (true) {
      RunEventsFollower.Poll poll;
      try {
        poll = follower.poll(next);
      } catch (WorkflowNotFoundException e) {
        throw e;
      } catch (RuntimeException e) {
        throw CliException.failed("cannot read the events of " + workflowId + ": " + Failures.chain(e).replace("\n  cause: ", ": ")
            + "\n  (the events query needs an agentflow worker serving the run's task queue)");
      }
      if (poll.missed() > 0) {
        err.printf("  ! %d events before offset %d are no longer held by any run of %s%n", poll.missed(), poll.next(), workflowId);
      }
      if (!poll.live()) {
        throw CliException.failed(workflowId + " keeps no live events (it started on an interpreter older than them); "
            + "use `temporal workflow query --type progress`");
      }
      if (json) {
        for (RunEvent event : poll.events()) {
          out.println(line(event));
        }
        out.flush();
      } else {
        printer.print(poll.events());
      }
      next = poll.next();
      if (poll.closed()) {
        return ended(poll.status(), next, out);
      }
      Thread.sleep(intervalMillis);
    }
  }

  private int ended(WorkflowExecutionStatus status, long next, PrintWriter out) {
    String name = status.name().replace("WORKFLOW_EXECUTION_STATUS_", "").toLowerCase(java.util.Locale.ROOT);
    boolean completed = status == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED;
    out.printf("%s %s %s (next offset %d)%n", completed ? "✓" : "✘", workflowId, name.replace('_', ' '), next);
    out.flush();
    return completed ? 0 : 1;
  }

  private static String line(RunEvent event) {
    try {
      return JSON.writeValueAsString(event);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
