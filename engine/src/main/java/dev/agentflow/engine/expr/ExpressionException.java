package dev.agentflow.engine.expr;

import java.util.Objects;

/**
 * An expression could not be evaluated. The only exception {@link ExpressionSandbox} lets out:
 * any other exception escaping workflow code makes Temporal retry the workflow task forever, while
 * this one is turned into a non-retryable failure naming the node and the expression.
 */
public class ExpressionException extends RuntimeException {

  /** What went wrong, so callers can map each kind onto a stable failure type. */
  public enum Kind {
    /** The text is not one JavaScript expression. */
    SYNTAX,
    /** The expression threw, or returned something without a JSON value (a function). */
    RUNTIME,
    /**
     * The statement limit, a string, array or object size limit, or the result size cap was
     * exceeded: the same on every replay.
     */
    LIMIT,
    /**
     * The wall-clock time limit was exceeded. Unlike the other kinds this depends on the machine (a
     * loaded worker, a garbage-collection pause), so one occurrence must not decide a run's outcome:
     * callers in workflow code fail the workflow task, and record a decision in the history only
     * when the same evaluation keeps timing out.
     */
    TIME_LIMIT,
    /**
     * The expression reached for something the sandbox does not offer (host, I/O, polyglot; in the
     * strict sandbox also BigInt, eval, promises, binary buffers).
     */
    FORBIDDEN
  }

  private static final int MAX_MESSAGE_CHARS = 2_000;

  private final Kind kind;
  private final String expression;

  public ExpressionException(Kind kind, String expression, String message) {
    this(kind, expression, message, null);
  }

  public ExpressionException(Kind kind, String expression, String message, Throwable cause) {
    super(abbreviate(message), cause);
    this.kind = Objects.requireNonNull(kind, "kind");
    this.expression = expression;
  }

  public Kind kind() {
    return kind;
  }

  /** The expression text as written in the definition. */
  public String expression() {
    return expression;
  }

  /** Guest messages can be arbitrarily long ({@code throw 'x'.repeat(1e6)}); keep history small. */
  private static String abbreviate(String message) {
    if (message == null || message.length() <= MAX_MESSAGE_CHARS) {
      return message;
    }
    return message.substring(0, MAX_MESSAGE_CHARS) + "… (" + message.length() + " characters)";
  }
}
