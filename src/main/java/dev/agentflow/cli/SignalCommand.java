package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * or an event the run is not waiting for is refused here with the reason (exit 1).
 *
 * <p>The same as {@code temporal workflow signal|update execute --name EVENT --input JSON}.
 */
@Command(name = "signal", description = "Send an event (signal or update) to a running graph.")
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
    JsonNode payload;
    try {
      String text = data.startsWith("@") ? Files.readString(Path.of(data.substring(1))) : data;
      payload = JSON.readTree(text);
    } catch (JsonProcessingException e) {
      err.println("✘ --data is not valid JSON: " + e.getOriginalMessage());
      return 2;
    } catch (IOException e) {
      err.println("✘ --data: " + e.getMessage());
      return 2;
    }
    if (temporal.embedded()) {
      temporal.address = DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service;
    try {
      service = temporal.connect();
    } catch (IOException | RuntimeException e) {
      err.println("✘ cannot reach Temporal at " + temporal.address + ": " + e.getMessage());
      return 2;
    }
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
    } catch (RuntimeException | JsonProcessingException e) {
      Throwable cause = e.getCause() != null ? e.getCause() : e;
      err.println("✘ cannot send '" + event + "' to " + workflowId + ": " + cause.getMessage());
      return 1;
    } finally {
      out.flush();
      err.flush();
      service.shutdown();
    }
  }
}
