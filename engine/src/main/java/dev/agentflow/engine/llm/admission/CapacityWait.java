package dev.agentflow.engine.llm.admission;

/**
 * What a model call that waits for its pool's capacity tells the run that made it, so the run's
 * {@code progress} query (and its live events) can say so: the workflow cannot see inside its
 * activity, and the activity's heartbeat details reach {@code temporal workflow describe} and the
 * Web UI, not the query. Sent as the signal {@link #SIGNAL} once a call has waited a while, and
 * again, with no note, when it is admitted.
 *
 * @param call the call, {@code <node>#<callIndex>} ({@link #callOf})
 * @param note what the call waits for (pool, tokens, calls ahead, limits), or null once admitted
 */
public record CapacityWait(String call, String note) {

  /** Signal name, stable across releases (recorded histories depend on it). */
  public static final String SIGNAL = "agentflow-capacity-wait";

  /** The name of a run's {@code callIndex}-th model call by node {@code nodeId}: unique in the run. */
  public static String callOf(String nodeId, int callIndex) {
    return nodeId + "#" + callIndex;
  }

  /** Whether the call no longer waits. */
  public boolean admitted() {
    return note == null;
  }
}
