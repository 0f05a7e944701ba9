package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.workflow.Progress;
import io.temporal.client.WorkflowStub;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * The {@code --send EVENT=JSON} events of {@code agentflow run}: each is sent as a signal once the
 * run waits for that event (the {@code progress} query's {@code waitingFor}), so a graph with a
 * human gate runs unattended. Events are used in order; one per wait.
 */
final class EventsToSend {

  private static final ObjectMapper JSON = new ObjectMapper();

  private record Event(String name, JsonNode payload) {}

  private final List<Event> pending;
  private int traceSizeAtLastSend = -1;
  private String announced;

  private EventsToSend(List<Event> events) {
    this.pending = new ArrayList<>(events);
  }

  /**
   * @param specs {@code approve={"approved": true}} (a payload-less {@code approve} sends null)
   * @throws IllegalArgumentException naming the bad spec
   */
  static EventsToSend parse(List<String> specs) {
    List<Event> events = new ArrayList<>();
    for (String spec : specs == null ? List.<String>of() : specs) {
      int equals = spec.indexOf('=');
      String name = (equals < 0 ? spec : spec.substring(0, equals)).trim();
      if (name.isEmpty()) {
        throw new IllegalArgumentException("--send " + spec + ": expected EVENT=JSON");
      }
      try {
        JsonNode payload = equals < 0 ? null : JSON.readTree(spec.substring(equals + 1));
        events.add(new Event(name, payload));
      } catch (JsonProcessingException e) {
        throw new IllegalArgumentException("--send " + name + ": the payload is not valid JSON: " + e.getOriginalMessage());
      }
    }
    return new EventsToSend(events);
  }

  /** Sends the first pending event the run is waiting for, at most once per step of the run. */
  void onProgress(WorkflowStub stub, Progress progress, PrintWriter out) {
    if (progress == null || progress.waitingFor() == null || progress.trace().size() == traceSizeAtLastSend) {
      return;
    }
    if (pending.stream().noneMatch(event -> event.name().equals(progress.waitingFor()))) {
      String key = progress.waitingFor() + "@" + progress.trace().size();
      if (!key.equals(announced)) {
        announced = key;
        out.printf("  ⏸ waiting for '%s' (agentflow signal %s %s --data JSON, or --send %s=JSON)%n",
            progress.waitingFor(), stub.getExecution().getWorkflowId(), progress.waitingFor(), progress.waitingFor());
        out.flush();
      }
      return;
    }
    for (Iterator<Event> it = pending.iterator(); it.hasNext(); ) {
      Event event = it.next();
      if (event.name().equals(progress.waitingFor())) {
        stub.signal(event.name(), event.payload());
        it.remove();
        traceSizeAtLastSend = progress.trace().size();
        out.printf("  ⇢ sent '%s' %s%n", event.name(), event.payload());
        out.flush();
        return;
      }
    }
  }
}
