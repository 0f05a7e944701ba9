package dev.agentflow.engine.workflow;

import io.temporal.workflow.Workflow;

/**
 * Which guarantees a run has, decided once when it starts with {@link Workflow#getVersion} (change
 * id {@value #CHANGE_ID}). Runs recorded before these guarantees existed replay at the default
 * version, without them, exactly as they ran; every run started since gets version 1, all of them:
 *
 * <ul>
 *   <li>its definition is validated once, when it starts, and only bound afterwards ({@link RunStart});
 *   <li>engine-only input fields are refused from clients ({@link EngineOnlyFields});
 *   <li>a continued run restores its checkpoint before its signal handlers exist ({@link RunStart});
 *   <li>rejected signals are bounded and never count as steps, event queues are capped, and a wait
 *       continues as new when the history grows long ({@link Inbox}, {@link WaitNodeExecutor});
 *   <li>expressions run with deterministic allocation limits, and a wall-clock timeout is recorded
 *       and fails the run ({@link ExpressionGuard});
 *   <li>expressions read a tool output stored by reference as its value ({@link ReferencedOutputs}).
 * </ul>
 */
record RunVersion(int version) {

  /** The {@link Workflow#getVersion} change id. */
  static final String CHANGE_ID = "run-guarantees";

  /** Asks the workflow once, at the very start of the run, before any command. */
  static RunVersion ofThisRun() {
    return new RunVersion(Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1));
  }

  boolean validatesOnce() {
    return version >= 1;
  }

  boolean checksEngineOnlyFields() {
    return version >= 1;
  }

  boolean restoresBeforeHandlers() {
    return version >= 1;
  }

  boolean boundsSignals() {
    return version >= 1;
  }

  boolean waitsContinueAsNew() {
    return version >= 1;
  }

  boolean limitsExpressions() {
    return version >= 1;
  }

  boolean readsReferencedOutputs() {
    return version >= 1;
  }
}
