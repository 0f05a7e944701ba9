package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * One thing that happened in a run, as a client following it sees it ({@code agentflow run},
 * {@code agentflow watch}, the {@code events} query). Offsets count from the first run of the
 * workflow id and go on across continue-as-new, so a client that read up to offset N asks for N
 * next, whichever run of the chain answers.
 *
 * @param offset position in the workflow's event log, from 0
 * @param timeMillis workflow time when it happened
 * @param type {@code node.started}, {@code node.finished}, {@code model.call}, {@code model.waiting}
 *     (a model call waits for its pool's capacity), {@code tool.call},
 *     {@code child.started}, {@code fanout.progress}, {@code run.continued}, {@code run.cancelled},
 *     {@code signal.rejected}
 * @param node the node it happened in (a review's author and reviewer are {@code <node>.author},
 *     {@code <node>.reviewer})
 * @param name the node's kind (node events), the model (model calls), the tool (tool calls), the
 *     child's workflow id (child runs)
 * @param detail the tool call's arguments shortened, the node's outcome and next node, the branch
 *     of a child run, or what happened
 * @param durationMillis how long the call or node took (workflow time), or null
 * @param inputTokens input tokens of the call or node, or null
 * @param outputTokens output tokens of the call or node, or null
 * @param costUsd cost of the model call when its price is known, or null
 * @param status {@code ok} or {@code error} for calls, else null
 * @param iteration the model call's number in its tool loop (from 1), or the node's visit
 * @param done fan-out branches that finished well, or null
 * @param running fan-out branches running, or null
 * @param failed fan-out branches that failed, or null
 * @param total fan-out branches in all, or null
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record RunEvent(
    long offset,
    long timeMillis,
    String type,
    String node,
    String name,
    String detail,
    Long durationMillis,
    Long inputTokens,
    Long outputTokens,
    Double costUsd,
    String status,
    Integer iteration,
    Integer done,
    Integer running,
    Integer failed,
    Integer total) {

  public static final String NODE_STARTED = "node.started";
  public static final String NODE_FINISHED = "node.finished";
  public static final String MODEL_CALL = "model.call";
  public static final String MODEL_WAITING = "model.waiting";
  public static final String TOOL_CALL = "tool.call";
  public static final String CHILD_STARTED = "child.started";
  public static final String FANOUT_PROGRESS = "fanout.progress";
  public static final String RUN_CONTINUED = "run.continued";
  public static final String RUN_CANCELLED = "run.cancelled";
  public static final String SIGNAL_REJECTED = "signal.rejected";

  /** The same event at another offset (when it is numbered). */
  RunEvent at(long newOffset) {
    return new RunEvent(newOffset, timeMillis, type, node, name, detail, durationMillis, inputTokens, outputTokens,
        costUsd, status, iteration, done, running, failed, total);
  }
}
