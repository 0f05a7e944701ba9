package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.WaitNode;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * A wait node: the run pauses until the node's event arrives as a signal or an update with a
 * payload that matches its schema, or until its timeout (one durable timer, no polling: a 48-hour
 * wait costs nothing while it lasts). The output is {@code {event, payload, via}}; on timeout the
 * node jumps to {@code onTimeout} with {@code {event, timedOut: true, timeout}}, or fails the run
 * with {@link FailureTypes#WAIT_TIMED_OUT}. See {@link Inbox} for how early, late and bad events
 * are treated.
 */
final class WaitNodeExecutor implements NodeExecutor<WaitNode> {

  @Override
  public NodeOutcome execute(WaitNode node, RunContext context) {
    Continuation continuation = context.continuation();
    Inbox.Delivery delivery;
    if (continuation != null && continuation.continuesInsideWaits()) {
      delivery = awaitOrContinue(node, context, continuation);
    } else {
      delivery = context.inbox().await(node.id(), node.event(), validator(node), node.timeout());
    }
    if (delivery == null) {
      return timedOut(node, DurationText.of(node.timeout(), context.versions()));
    }
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.put("event", delivery.event());
    output.set("payload", delivery.payload());
    output.put("via", delivery.via());
    return new NodeOutcome.Completed(output);
  }

  /**
   * Waits, and continues as new in the middle of the wait when the history has grown long (many
   * signals, or days of waiting): the next run waits for what is left of the timeout, with the
   * queued signals carried.
   */
  private Inbox.Delivery awaitOrContinue(WaitNode node, RunContext context, Continuation continuation) {
    Checkpoint.Wait resumed = continuation.takeWait(node.id());
    long now = Workflow.currentTimeMillis();
    long startedAt = resumed != null ? resumed.startedAtMillis() : now;
    Long deadline = resumed != null ? resumed.deadlineMillis()
        : node.timeout() == null ? null : now + node.timeout().toMillis();
    Duration timeout = deadline == null ? null : Duration.ofMillis(Math.max(0, deadline - now));
    Inbox.Delivery delivery = context.inbox().await(node.id(), node.event(), validator(node), timeout, continuation::due);
    if (delivery == Inbox.INTERRUPTED) {
      continuation.continueInsideWait(new Checkpoint.Wait(node.id(), deadline, startedAt));
    }
    return delivery;
  }

  /** {@code timeout} is the node's timeout as messages and the output write it. */
  private static NodeOutcome timedOut(WaitNode node, String timeout) {
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.put("event", node.event());
    output.put("timedOut", true);
    output.put("timeout", timeout);
    if (node.onTimeout() != null) {
      return new NodeOutcome.Jump(output, node.onTimeout(), "timed out after " + timeout);
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "wait node '" + node.id() + "' received no valid '" + node.event() + "' within " + timeout
            + " and has no onTimeout route",
        FailureTypes.WAIT_TIMED_OUT);
  }

  /** The node's compiled payload schema, shared by the runs of a shared graph ({@link SharedBindings}). */
  private static InputValidator validator(WaitNode node) {
    try {
      return SharedBindings.validator(node.payloadSchema(), () -> InputValidator.forSchema(node.payloadSchema()));
    } catch (RuntimeException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "wait node '" + node.id() + "': the payload schema cannot be compiled: " + e.getMessage(),
          FailureTypes.INVALID_DEFINITION);
    }
  }
}
