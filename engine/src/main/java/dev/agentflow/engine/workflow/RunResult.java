package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a successful run returns.
 *
 * @param output the end node's output
 * @param usage tokens spent, per model
 * @param trace every node execution in order (with at most {@link RunState#MAX_SIGNAL_ENTRIES}
 *     rejected-signal entries)
 * @param rejectedSignals signals the run rejected, including those beyond the trace's
 */
public record RunResult(JsonNode output, UsageSummary usage, List<TraceEntry> trace, long rejectedSignals) {

  public RunResult(JsonNode output, UsageSummary usage, List<TraceEntry> trace) {
    this(output, usage, trace, 0);
  }
}
