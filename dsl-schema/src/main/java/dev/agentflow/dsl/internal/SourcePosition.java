package dev.agentflow.dsl.internal;

/**
 * A 1-based line and column in a definition's text; {@link #UNKNOWN} (0:0) when the definition did
 * not come from text.
 */
public record SourcePosition(int line, int column) {

  public static final SourcePosition UNKNOWN = new SourcePosition(0, 0);

  public boolean isKnown() {
    return line > 0;
  }
}
