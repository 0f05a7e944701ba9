package dev.agentflow.engine.llm;

import dev.agentflow.engine.llm.admission.CapacityWait;

/**
 * Tells the run whose model call is running on this thread that the call waits for capacity (or
 * no longer does). A seam: the worker signals the run ({@link SignallingCapacityWaitReporter}),
 * tests record what would be sent.
 */
@FunctionalInterface
public interface CapacityWaitReporter {

  /** Reports nothing: for activities run outside a worker. */
  CapacityWaitReporter NONE = wait -> {};

  /** Tells the run; never throws (a run that cannot be told still gets its call answered). */
  void report(CapacityWait wait);
}
