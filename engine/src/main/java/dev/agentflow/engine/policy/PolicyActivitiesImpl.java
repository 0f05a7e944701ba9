package dev.agentflow.engine.policy;

import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.stream.Collectors;

/** {@link PolicyActivities} over a worker's {@link PolicyCheck}. */
public final class PolicyActivitiesImpl implements PolicyActivities {

  private final PolicyCheck check;

  /**
   * @param checkModels false on a worker that answers every model offline
   */
  public PolicyActivitiesImpl(WorkerPolicy policy, boolean checkModels) {
    this.check = new PolicyCheck(policy, checkModels);
  }

  @Override
  public void checkRun(PolicySubject subject) {
    List<PolicyViolation> violations = check.check(subject);
    if (!violations.isEmpty()) {
      throw ApplicationFailure.newNonRetryableFailure(describe(violations), violations.get(0).type());
    }
  }

  /** One line per violation, under a line saying what failed. */
  public static String describe(List<PolicyViolation> violations) {
    return "the worker's policy does not allow what the definition asks:\n"
        + violations.stream().map(v -> "  " + v).collect(Collectors.joining("\n"));
  }
}
