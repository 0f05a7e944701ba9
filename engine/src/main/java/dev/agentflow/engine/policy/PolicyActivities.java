package dev.agentflow.engine.policy;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/**
 * The start-of-run check of a definition against the worker's policy, run as a local activity on
 * the workflow worker when a root run starts.
 */
@ActivityInterface
public interface PolicyActivities {

  /** Activity type name, stable across releases (recorded histories depend on it). */
  String CHECK_RUN = "CheckWorkerPolicy";

  /**
   * Returns normally when the worker allows everything the definition asks; otherwise fails with a
   * non-retryable {@code SecretNotAllowed} or {@code EgressRefused} listing every violation.
   */
  @ActivityMethod(name = CHECK_RUN)
  void checkRun(PolicySubject subject);
}
