package dev.agentflow.dsl.expr;

import java.util.OptionalInt;

/**
 * How deeply an expression nests brackets, found by a scan that never recurses. The JavaScript
 * parser recurses once per level, so a thousand nested parentheses exhaust its stack; checking the
 * depth first turns that into a problem at the bracket that goes too deep.
 *
 * <p>The scan knows string literals, template literals (with their {@code ${…}} parts) and
 * comments, so brackets inside them do not count. It does not tell a regular-expression literal
 * from a division, so brackets inside a regex count; no real expression nests that deep either way.
 */
public final class ExpressionDepth {

  private ExpressionDepth() {}

  /** The offset of the first bracket that opens level {@code maxDepth + 1}, if any does. */
  public static OptionalInt firstTooDeep(String expression, int maxDepth) {
    // each entry: the character that closes the level; '`' marks a template literal's ${ … } part
    char[] closers = new char[maxDepth + 2];
    int depth = 0;
    int i = 0;
    int length = expression.length();
    boolean inTemplateText = false;
    while (i < length) {
      char c = expression.charAt(i);
      if (inTemplateText) {
        if (c == '\\') {
          i += 2;
          continue;
        }
        if (c == '`') {
          inTemplateText = false;
        } else if (c == '$' && i + 1 < length && expression.charAt(i + 1) == '{') {
          if (depth == maxDepth) {
            return OptionalInt.of(i);
          }
          closers[depth++] = '`';
          inTemplateText = false;
          i++;
        }
        i++;
        continue;
      }
      switch (c) {
        case '\'', '"' -> i = skipString(expression, i, c);
        case '`' -> inTemplateText = true;
        case '/' -> {
          if (i + 1 < length && expression.charAt(i + 1) == '/') {
            int end = expression.indexOf('\n', i);
            i = end < 0 ? length - 1 : end;
          } else if (i + 1 < length && expression.charAt(i + 1) == '*') {
            int end = expression.indexOf("*/", i + 2);
            i = end < 0 ? length - 1 : end + 1;
          }
        }
        case '(', '[', '{' -> {
          if (depth == maxDepth) {
            return OptionalInt.of(i);
          }
          closers[depth++] = c == '(' ? ')' : c == '[' ? ']' : '}';
        }
        case ')', ']', '}' -> {
          if (depth > 0) {
            depth--;
            if (closers[depth] == '`' && c == '}') {
              inTemplateText = true;
            }
          }
        }
        default -> { }
      }
      i++;
    }
    return OptionalInt.empty();
  }

  /** The index of the closing quote of the string starting at {@code start} (or the last index). */
  private static int skipString(String text, int start, char quote) {
    int i = start + 1;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
        continue;
      }
      if (c == quote || c == '\n') {
        return i;
      }
      i++;
    }
    return text.length() - 1;
  }

  /** "line L, column C" of {@code offset} inside {@code text} (1-based). */
  public static String position(String text, int offset) {
    int line = 1;
    int lineStart = 0;
    for (int i = 0; i < offset && i < text.length(); i++) {
      if (text.charAt(i) == '\n') {
        line++;
        lineStart = i + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }
}
