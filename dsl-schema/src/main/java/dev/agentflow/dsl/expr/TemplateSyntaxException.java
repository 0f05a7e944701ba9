package dev.agentflow.dsl.expr;

/**
 * A template string could not be split into literals and <code>${...}</code> expressions, for
 * example because a <code>${</code> is never closed. Carries the offset in the template so the
 * validator can point at the exact character.
 */
public class TemplateSyntaxException extends IllegalArgumentException {

  private final int offset;

  public TemplateSyntaxException(String message, int offset) {
    super(message + " (at offset " + offset + ")");
    this.offset = offset;
  }

  /** Index in the template of the character the problem starts at (0-based). */
  public int offset() {
    return offset;
  }
}
