package dev.agentflow.engine.workflow;

import java.util.List;

/**
 * A snapshot of a run for the {@code progress} query.
 *
 * @param graph graph name
 * @param version graph version
 * @param currentNode node being executed, or null when finished
 * @param trace finished node executions, in order
 * @param usage tokens spent so far
 */
public record Progress(String graph, int version, String currentNode, List<TraceEntry> trace, UsageSummary usage) {}
