package dev.agentflow.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.RunEventsFollower;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.testing.AgentLoopModel;
import dev.agentflow.engine.workflow.RunOptions;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;

/**
 * Prints what live events cost a run's history. Events are derived from what the run does (an
 * activity's input and result, a child's start, workflow time), so a run writes no history event
 * for them; the one cost is at continue-as-new, where the ending run carries the events it recorded
 * in the next run's input, each event once. This runs a tool-loop agent of N tool calls that
 * continues as new every few dozen history events, walks its chain of runs, and counts the bytes of
 * the carried events in each continue-as-new input against the events the run produced.
 *
 * <pre>
 * java -cp bench/target/agentflow-bench.jar dev.agentflow.bench.LiveEventsCost [--address HOST:PORT]
 *     [--rounds 40] [--continue-after 60]
 * </pre>
 */
public final class LiveEventsCost {

  private static final ObjectMapper JSON = new ObjectMapper();

  private LiveEventsCost() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = new java.util.LinkedHashMap<>();
    for (int i = 0; i + 1 < args.length; i += 2) {
      options.put(args[i].replaceFirst("^--", ""), args[i + 1]);
    }
    int rounds = Integer.parseInt(options.getOrDefault("rounds", "40"));
    int continueAfter = Integer.parseInt(options.getOrDefault("continue-after", "60"));
    String suffix = UUID.randomUUID().toString().substring(0, 8);
    AgentflowConfig settings = ConfigLoader.fromYaml("pools: {openai: {maxConcurrent: 4}}", "bench", Map.of())
        .withTaskQueue("bench-events-" + suffix);
    try (Benchmarks.Server server = Benchmarks.Server.connect(options.get("address"));
        AgentLoopModel stub = AgentLoopModel.start()) {
      System.out.println("server: " + server.description());
      Agents.AgentflowAgent agent = new Agents.AgentflowAgent(server.client(), settings, stub.baseUrl(),
          Files.createTempDirectory("agentflow-bench-blobs"));
      try {
        stub.reset(rounds, Duration.ZERO);
        String id = agent.start(rounds, new RunOptions("bench.yaml", null, null, continueAfter));
        agent.await(id);
        measure(server.client(), id, rounds, continueAfter);
      } finally {
        agent.close();
      }
    }
  }

  private static void measure(WorkflowClient client, String workflowId, int rounds, int continueAfter) throws Exception {
    long liveEvents = new RunEventsFollower(client, workflowId).poll(0).next();
    long historyBytes = 0;
    long historyEvents = 0;
    long carriedBytes = 0;
    long carriedEvents = 0;
    long continueAsNewBytes = 0;
    int runs = 0;
    String runId = client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
    while (runId != null) {
      runs++;
      History history = client.fetchHistory(workflowId, runId).getHistory();
      historyBytes += history.getSerializedSize();
      historyEvents += history.getEventsCount();
      for (HistoryEvent event : history.getEventsList()) {
        if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW) {
          continueAsNewBytes += event.getSerializedSize();
          Payload input = event.getWorkflowExecutionContinuedAsNewEventAttributes().getInput().getPayloads(0);
          JsonNode events = JSON.readTree(input.getData().toString(StandardCharsets.UTF_8)).path("resume").path("events");
          carriedEvents += events.size();
          carriedBytes += JSON.writeValueAsBytes(events).length;
        }
      }
      String previous = history.getEvents(0).getWorkflowExecutionStartedEventAttributes().getContinuedExecutionRunId();
      runId = previous.isEmpty() ? null : previous;
    }
    System.out.printf("%d tool rounds, continue as new after %d history events: %d runs, %d live events%n",
        rounds, continueAfter, runs, liveEvents);
    System.out.printf("history: %,d events, %,d bytes over the chain (%,d bytes in its continue-as-new events)%n",
        historyEvents, historyBytes, continueAsNewBytes);
    System.out.printf("history events written for live events: 0 (they ride in the continue-as-new events the run writes anyway)%n");
    System.out.printf("live events carried across continue-as-new: %d, %,d bytes = %.0f bytes per carried event%n",
        carriedEvents, carriedBytes, carriedEvents == 0 ? 0.0 : (double) carriedBytes / carriedEvents);
    System.out.printf("history bytes per live event over the chain: %.0f (%.1f%% of the chain's history)%n",
        liveEvents == 0 ? 0.0 : (double) carriedBytes / liveEvents, 100.0 * carriedBytes / historyBytes);
  }
}
