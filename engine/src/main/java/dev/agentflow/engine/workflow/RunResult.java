package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * What a successful run returns.
 *
 * @param output the end node's output
 * @param usage tokens spent, per model
 * @param trace every node execution in order
 */
public record RunResult(JsonNode output, UsageSummary usage, List<TraceEntry> trace) {}
