package dev.agentflow.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentflow.dsl.Problem;
import dev.agentflow.engine.workflow.Progress;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.stream.Collectors;

/**
 * The {@code --send EVENT=JSON} events of {@code agentflow run}: each is checked against the graph
 * before the run starts (the event must be one the graph waits for, the payload must match the
 * wait's schema), then sent as an update once the run waits for that event (the {@code progress}
 * query's {@code waitingFor}), so a graph with a human gate runs unattended and a payload the run
 * still rejects ends the command with the reason. Events are used in order; one per wait.
 */
final class EventsToSend {

  private record Event(String name, JsonNode payload) {}

  private final List<Event> pending;
  private int traceSizeAtLastSend = -1;
  private String announced;

  private EventsToSend(List<Event> events) {
    this.pending = new ArrayList<>(events);
  }

  /**
   * @param specs {@code approve={"approved": true}} (a payload-less {@code approve} sends null)
   * @throws CliException (usage) naming the bad spec
   */
  static EventsToSend parse(List<String> specs) {
    List<Event> events = new ArrayList<>();
    for (String spec : specs == null ? List.<String>of() : specs) {
      int equals = spec.indexOf('=');
      String name = (equals < 0 ? spec : spec.substring(0, equals)).trim();
      if (name.isEmpty()) {
        throw CliException.usage("--send " + spec + ": expected EVENT=JSON");
      }
      JsonNode payload = equals < 0 ? NullNode.getInstance()
          : JsonArgument.value("--send " + name, spec.substring(equals + 1));
      events.add(new Event(name, payload));
    }
    return new EventsToSend(events);
  }

  /**
   * Every event is one the graph waits for (else a usage error) and its payload matches the wait's
   * schema (else the problems, exit 1): checked before the run starts, so nothing is started.
   */
  void check(WaitEvents graphEvents) {
    for (Event event : pending) {
      graphEvents.checkName(event.name());
    }
    for (Event event : pending) {
      List<Problem> problems = graphEvents.check(event.name(), event.payload());
      if (!problems.isEmpty()) {
        throw CliException.failed("--send " + event.name() + ": the payload does not match what the graph's wait for '"
            + event.name() + "' accepts; the run was not started:\n" + problems.stream()
                .map(problem -> "  " + problem.toString().replaceFirst("^<input>", "<send " + event.name() + ">"))
                .collect(Collectors.joining("\n")));
      }
    }
  }

  /**
   * Sends the first pending event the run is waiting for, at most once per step of the run; when
   * none is pending for what it waits for, says once how to answer it.
   *
   * @param address where other processes reach the run's server, for the hint
   * @throws CliException when the run rejects the event
   */
  void onProgress(WorkflowStub stub, Progress progress, PrintWriter out, String address, String namespace) {
    if (progress == null || progress.waitingFor() == null || progress.trace().size() == traceSizeAtLastSend) {
      return;
    }
    String waitingFor = progress.waitingFor();
    String id = stub.getExecution().getWorkflowId();
    if (pending.stream().noneMatch(event -> event.name().equals(waitingFor))) {
      String key = waitingFor + "@" + progress.trace().size();
      if (!key.equals(announced)) {
        announced = key;
        out.printf("  ⏸ waiting for '%s'; answer it from another terminal with%n"
                + "      agentflow signal %s %s --data JSON --address %s%s%n"
                + "    or  temporal workflow signal --address %s --namespace %s --workflow-id %s --name %s --input JSON%n",
            waitingFor, id, waitingFor, address, "default".equals(namespace) ? "" : " --namespace " + namespace,
            address, namespace, id, waitingFor);
        out.flush();
      }
      return;
    }
    for (Iterator<Event> it = pending.iterator(); it.hasNext(); ) {
      Event event = it.next();
      if (event.name().equals(waitingFor)) {
        it.remove();
        traceSizeAtLastSend = progress.trace().size();
        try {
          stub.update(event.name(), JsonNode.class, event.payload());
        } catch (WorkflowUpdateException e) {
          throw CliException.failed("the run rejected --send " + event.name() + ": " + Failures.describe(e.getCause())
              + "\n  (run " + id + " is still waiting for '" + waitingFor + "' on " + address + ")");
        }
        out.printf("  ⇢ sent '%s' %s%n", event.name(), event.payload());
        out.flush();
        return;
      }
    }
  }

}
