package dev.agentflow.engine.workflow;

import dev.agentflow.engine.llm.admission.CapacityWait;
import java.util.List;

/**
 * A snapshot of a run for the {@code progress} query.
 *
 * @param graph graph name
 * @param version graph version
 * @param currentNode node being executed, or null when finished
 * @param trace finished node executions, in order (with at most {@link RunState#MAX_SIGNAL_ENTRIES}
 *     rejected-signal entries)
 * @param usage tokens spent so far
 * @param waitingFor the signal/update name the run is waiting for (a wait node or a budget
 *     question), or null
 * @param rejectedSignals signals the run rejected so far, including those beyond the trace's
 * @param waitingForCapacity the run's model calls that have waited more than a second for their
 *     pool's capacity (per-minute token or request limits) and wait still, by call; empty when none
 */
public record Progress(
    String graph,
    int version,
    String currentNode,
    List<TraceEntry> trace,
    UsageSummary usage,
    String waitingFor,
    long rejectedSignals,
    List<CapacityWait> waitingForCapacity) {

  public Progress {
    waitingForCapacity = waitingForCapacity == null ? List.of() : List.copyOf(waitingForCapacity);
  }

  public Progress(String graph, int version, String currentNode, List<TraceEntry> trace, UsageSummary usage,
      String waitingFor, long rejectedSignals) {
    this(graph, version, currentNode, trace, usage, waitingFor, rejectedSignals, List.of());
  }

  public Progress(String graph, int version, String currentNode, List<TraceEntry> trace, UsageSummary usage, String waitingFor) {
    this(graph, version, currentNode, trace, usage, waitingFor, 0);
  }
}
