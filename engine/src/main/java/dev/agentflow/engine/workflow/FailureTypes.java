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

  private FailureTypes() {}
}
