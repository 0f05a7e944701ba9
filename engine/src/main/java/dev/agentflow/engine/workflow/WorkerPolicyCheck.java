package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.policy.PolicyActivities;
import dev.agentflow.engine.policy.PolicySubject;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInfo;
import java.time.Duration;

/**
 * At the start of a root run, asks the worker (a local activity) whether it allows everything the
 * pinned definition asks, child graphs included: each secret granted to its reader, each model
 * endpoint the definition wrote inside the egress policy. A refusal fails the run before any node
 * with the activity's non-retryable {@code SecretNotAllowed} or {@code EgressRefused}, whose message
 * names each variable or endpoint and the config key that would allow it.
 *
 * <p>Child runs and runs continued as new are not checked again: their root was. Runs recorded
 * before the check existed replay without it ({@value #CHANGE_ID}).
 */
final class WorkerPolicyCheck {

  static final String CHANGE_ID = "worker-policy-check";

  private static final LocalActivityOptions OPTIONS = LocalActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(3).build())
      .build();

  private WorkerPolicyCheck() {}

  static void atRunStart(LoadedDefinition loaded) {
    WorkflowInfo info = Workflow.getInfo();
    if (info.getParentWorkflowId().isPresent() || info.getContinuedExecutionRunId().isPresent()) {
      return;
    }
    if (Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return;
    }
    PolicySubject subject;
    try {
      subject = PolicySubject.of(RunContext.JSON.readTree(loaded.canonicalJson()));
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the canonical definition does not parse: " + e.getOriginalMessage(), FailureTypes.INVALID_DEFINITION);
    }
    try {
      Workflow.newLocalActivityStub(PolicyActivities.class, OPTIONS).checkRun(subject);
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof ApplicationFailure refused) {
        throw ApplicationFailure.newNonRetryableFailure(refused.getOriginalMessage(), refused.getType());
      }
      throw failure;
    }
  }
}
