package dev.agentflow.dsl;

import dev.agentflow.dsl.expr.ExpressionSyntax;

/**
 * Bounds on what reading a definition (or an offline script, or a run input) may cost, checked
 * before the expensive work, so a careless or hostile file is rejected with a located problem
 * instead of exhausting time, memory or the stack.
 *
 * @param maxBytes largest file or text accepted, in bytes of UTF-8; checked before parsing
 * @param maxDepth deepest nesting of mappings and sequences (the document root is depth 1)
 * @param maxExpressionDepth deepest nesting of brackets ({@code ( [ {}) inside one expression
 */
public record ReadLimits(int maxBytes, int maxDepth, int maxExpressionDepth) {

  /** 1 MiB: far above any hand-written graph, far below what parsing would struggle with. */
  public static final int DEFAULT_MAX_BYTES = 1024 * 1024;

  /** Enough for child graphs inside child graphs with JSON Schemas inside them. */
  public static final int DEFAULT_MAX_DEPTH = 64;

  /**
   * Enough for any expression a person writes, and far below where the JavaScript parser, which
   * recurses per level, runs out of a 256 KiB thread stack (about 60 levels), so an expression that
   * passes here parses on any worker thread.
   */
  public static final int DEFAULT_MAX_EXPRESSION_DEPTH = 32;

  /** The most {@link #maxDepth()} may be: the validators recurse per level. */
  public static final int MAX_DEPTH_CAP = 256;

  public static final ReadLimits DEFAULTS =
      new ReadLimits(DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_EXPRESSION_DEPTH);

  public ReadLimits {
    if (maxBytes < 1 || maxDepth < 1 || maxExpressionDepth < 1) {
      throw new IllegalArgumentException("read limits must be at least 1");
    }
    if (maxDepth > MAX_DEPTH_CAP || maxExpressionDepth > ExpressionSyntax.PARSER_MAX_DEPTH) {
      throw new IllegalArgumentException(
          "nesting limits above " + MAX_DEPTH_CAP + " (expressions: " + ExpressionSyntax.PARSER_MAX_DEPTH
              + ") would let a file overflow the stack of the reader or the parser");
    }
  }

  /** These limits with another size cap. */
  public ReadLimits withMaxBytes(int bytes) {
    return new ReadLimits(bytes, maxDepth, maxExpressionDepth);
  }

  /** {@code 1.0 MiB}, {@code 512 KiB}, {@code 100 bytes}: how problem messages give sizes. */
  public static String describeSize(long bytes) {
    if (bytes >= 1024 * 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / (1024.0 * 1024.0));
    }
    if (bytes >= 1024) {
      return String.format(java.util.Locale.ROOT, "%.1f KiB", bytes / 1024.0);
    }
    return bytes + " bytes";
  }
}
