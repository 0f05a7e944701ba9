package dev.agentflow.engine.workflow;

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
 */
public record Progress(
    String graph,
    int version,
    String currentNode,
    List<TraceEntry> trace,
    UsageSummary usage,
    String waitingFor,
    long rejectedSignals) {

  public Progress(String graph, int version, String currentNode, List<TraceEntry> trace, UsageSummary usage, String waitingFor) {
    this(graph, version, currentNode, trace, usage, waitingFor, 0);
  }
}
