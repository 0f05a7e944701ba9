package dev.agentflow.engine.workflow;

import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.WorkflowInfo;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The input fields only the engine may set: a checkpoint ({@code resume}, {@code resumeRef}, {@code
 * continuedFrom}) and the budget a parent hands its child ({@code options.budgetLimit}). From any
 * other client they would let the caller skip a wait, forge usage, raise budgets or load any blob
 * whose hash it knows, so they are accepted only by
 *
 * <ul>
 *   <li>a child run: the server records a parent workflow id, which no client can set; or
 *   <li>a run that continued as new: the server records the run it continued from, and the input
 *       names that same run in {@code continuedFrom}. A client cannot know that run id when it
 *       starts a run, so a cron or retry successor of a forged run (which the server also starts
 *       with a previous run id) still fails.
 * </ul>
 *
 * <p>Anything else is refused with a non-retryable {@link FailureTypes#INVALID_INPUT} naming the
 * field, before the run does anything (no activity, no blob read).
 */
final class EngineOnlyFields {

  private EngineOnlyFields() {}

  /** Refuses {@code request} unless its engine-only fields come from the engine. */
  static void check(RunRequest request, WorkflowInfo info) {
    List<String> fields = present(request);
    if (fields.isEmpty() || info.getParentWorkflowId().isPresent()) {
      return;
    }
    Optional<String> continuedFrom = info.getContinuedExecutionRunId();
    if (continuedFrom.isPresent() && continuedFrom.get().equals(request.continuedFrom())) {
      return;
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "the run input sets " + String.join(", ", fields.stream().map(f -> "'" + f + "'").toList())
            + ", which only the engine sets (a run continued as new, or a child run); a client may send"
            + " only 'definition' or 'graph', 'input' and 'options' (sourceName, maxSteps, continueAsNewAfterEvents)",
        FailureTypes.INVALID_INPUT);
  }

  /** The engine-only fields {@code request} sets, in a fixed order. */
  static List<String> present(RunRequest request) {
    List<String> fields = new ArrayList<>();
    if (request.resume() != null) {
      fields.add("resume");
    }
    if (request.resumeRef() != null) {
      fields.add("resumeRef");
    }
    if (request.continuedFrom() != null) {
      fields.add("continuedFrom");
    }
    if (request.options() != null && request.options().budgetLimit() != null) {
      fields.add("options.budgetLimit");
    }
    return fields;
  }
}
