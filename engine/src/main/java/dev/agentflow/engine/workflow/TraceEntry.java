package dev.agentflow.engine.workflow;

/**
 * One finished node execution, as shown by {@code agentflow run} and the {@code progress} query.
 *
 * @param step 1-based position in the run
 * @param node node id
 * @param kind node kind (llm, tool, end)
 * @param visit how many times this node has run, this one included
 * @param startedAtMillis workflow time when the node started
 * @param durationMillis workflow time the node took
 * @param inputTokens input tokens spent by the node
 * @param outputTokens output tokens spent by the node
 * @param outcome ok, error or an explanation such as "max iterations"
 * @param next the node the run went to next, or null at the end
 */
public record TraceEntry(
    int step,
    String node,
    String kind,
    int visit,
    long startedAtMillis,
    long durationMillis,
    long inputTokens,
    long outputTokens,
    String outcome,
    String next) {}
