package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
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
 * {@code agentflow signal}: sends an event to a running graph, for its wait node or a budget
 * question. As a signal by default (fire and forget: a bad payload is recorded in the run's trace);
 * with {@code --update} as an update, which the run validates first and answers, so a bad payload
 * or an event the run is not waiting for is refused here with the reason (exit 1). A run started by
 * {@code agentflow run} on its embedded server is reached with the {@code --address} it printed.
 *
 * <p>The same as {@code temporal workflow signal|update execute --name EVENT --input JSON}.
 */
@Command(name = "signal", mixinStandardHelpOptions = true, description = "Send an event (signal or update) to a running graph.")
final class SignalCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  /** Where Temporal's dev server listens; used when no --address is given. */
  static final String DEFAULT_ADDRESS = "127.0.0.1:7233";

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's workflow id")
  String workflowId;

  @Parameters(index = "1", paramLabel = "EVENT", description = "event name, e.g. approve")
  String event;

  @Option(names = "--data", defaultValue = "{}", paramLabel = "JSON|@FILE", description = "payload (default: {})")
  String data;

  @Option(names = "--update", description = "send as an update: wait for the run to accept or reject it")
  boolean update;

  @Mixin TemporalOptions temporal;

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    if (workflowId.isBlank() || event.isBlank()) {
      throw CliException.usage("WORKFLOW_ID and EVENT must not be empty");
    }
    JsonNode payload = JsonArgument.value("--data", data);
    if (temporal.embedded()) {
      temporal.address = DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service = temporal.connect();
    try {
      WorkflowClient client = temporal.client(service);
      WorkflowStub stub = client.newUntypedWorkflowStub(workflowId);
      if (!update) {
        stub.signal(event, payload);
        out.println("✓ signal '" + event + "' sent to " + workflowId);
        return 0;
      }
      JsonNode answer = stub.update(event, JsonNode.class, payload);
      out.println("✓ update '" + event + "' accepted by " + workflowId + ":");
      out.println(JSON.writeValueAsString(answer));
      return 0;
    } catch (WorkflowUpdateException e) {
      err.println("✘ " + Failures.describe(e.getCause()));
      return 1;
    } catch (WorkflowNotFoundException e) {
      err.println("✘ no running workflow '" + workflowId + "' in namespace " + temporal.namespace + " on " + temporal.address);
      return 1;
    } catch (RuntimeException | JsonProcessingException e) {
      err.println("✘ cannot send '" + event + "' to " + workflowId + " on " + temporal.address + ": "
          + Failures.chain(e).replace("\n  cause: ", ": "));
      return 1;
    } finally {
      out.flush();
      err.flush();
      service.shutdown();
    }
  }
}
