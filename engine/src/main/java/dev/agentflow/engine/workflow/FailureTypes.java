package dev.agentflow.engine.workflow;

/**
 * Stable {@code ApplicationFailure} types raised by the interpreter. Clients match on these
 * strings, so they never change once released.
 */
public final class FailureTypes {

  /** The definition (or the input) was rejected; the message lists every problem with its location. */
  public static final String INVALID_DEFINITION = "InvalidDefinition";

  /** The run input does not match the definition's input schema. */
  public static final String INVALID_INPUT = "InvalidInput";

  /** An expression or template failed at run time (error, limit, forbidden access). */
  public static final String EXPRESSION_ERROR = "ExpressionError";

  /** An llm node's tool loop made maxIterations model calls and the node has no onMaxIterations route. */
  public static final String MAX_ITERATIONS_REACHED = "MaxIterationsReached";

  /** No route of a node matched (cannot happen for validated graphs, which end with a default route). */
  public static final String NO_ROUTE = "NoRouteMatched";

  /** The run executed more nodes than its step limit. */
  public static final String STEP_LIMIT_EXCEEDED = "StepLimitExceeded";

  /** A structured reply could not be parsed as JSON. */
  public static final String OUTPUT_NOT_JSON = "OutputNotJson";

  /** A wait node's timeout passed and the node has no onTimeout route. */
  public static final String WAIT_TIMED_OUT = "WaitTimedOut";

  /** A run, node or parent-imposed budget was exceeded (action fail, or a human said stop). */
  public static final String BUDGET_EXCEEDED = "BudgetExceeded";

  /** An update was rejected: the run is not waiting for it, or its payload fails the schema. */
  public static final String UPDATE_REJECTED = "UpdateRejected";

  /** A fan-out branch failed and the node does not collect branch errors. */
  public static final String BRANCH_FAILED = "BranchFailed";

  /** A fan-out ended (timeout, or too many failed branches) before its join was satisfied. */
  public static final String JOIN_NOT_SATISFIED = "JoinNotSatisfied";

  /** A fan-out timed out and the node has no onTimeout route. */
  public static final String FAN_OUT_TIMED_OUT = "FanOutTimedOut";

  /** A map node's items expression did not give an array. */
  public static final String ITEMS_NOT_ARRAY = "ItemsNotArray";

  /**
   * A fan-out resumed after continue-as-new computed other branches than before (its items or
   * inputs depend on something that changed, such as {@code usage} or {@code run.runId}).
   */
  public static final String FAN_OUT_CHANGED = "FanOutChanged";

  private FailureTypes() {}
}
