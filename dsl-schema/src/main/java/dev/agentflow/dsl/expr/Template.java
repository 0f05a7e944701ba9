package dev.agentflow.dsl.expr;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A parsed template such as {@code "Plan research on ${input.topic}."}: literal text and embedded
 * JavaScript expressions, in order.
 *
 * <p>Templates are parsed once when a definition is prepared, so the workflow only walks the parts
 * and never re-scans strings. Rules:
 *
 * <ul>
 *   <li><code>${</code> starts an expression that ends at the matching <code>&#125;</code>; braces
 *       of object literals, quotes, template literals (with nested <code>${...}</code>) and
 *       comments inside the expression are skipped over. Regular-expression literals are not
 *       recognised: a brace inside one ends or unbalances the expression.
 *   <li><code>$</code> not followed by <code>&#123;</code> is literal text.
 *   <li><code>\${</code> is a literal <code>${</code>; any other backslash is literal text.
 *   <li>An unterminated or empty <code>${...}</code> is a {@link TemplateSyntaxException}.
 * </ul>
 *
 * <p>Adjacent literal text is merged into one {@link Literal}; empty literals are left out.
 */
public final class Template {

  /** One piece of a template. */
  public sealed interface Part permits Literal, Expression {}

  /** Text copied into the output as is. */
  public record Literal(String text) implements Part {
    public Literal {
      Objects.requireNonNull(text, "text");
    }
  }

  /**
   * A JavaScript expression, as written between <code>${</code> and <code>&#125;</code> (not
   * trimmed).
   *
   * @param offset index in the template of the expression's first character (just after <code>
   *     ${</code>)
   */
  public record Expression(String source, int offset) implements Part {
    public Expression {
      Objects.requireNonNull(source, "source");
    }
  }

  private final String text;
  private final List<Part> parts;

  private Template(String text, List<Part> parts) {
    this.text = text;
    this.parts = List.copyOf(parts);
  }

  /**
   * Splits a template into parts.
   *
   * @throws TemplateSyntaxException if a <code>${</code> is never closed or encloses nothing
   */
  public static Template parse(String text) {
    Objects.requireNonNull(text, "text");
    List<Part> parts = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      if (text.startsWith("\\${", i)) {
        literal.append("${");
        i += 3;
      } else if (text.startsWith("${", i)) {
        int start = i + 2;
        int end = new ExpressionScanner(text).closingBrace(start, i, 0);
        String source = text.substring(start, end);
        if (source.isBlank()) {
          throw new TemplateSyntaxException("empty ${} expression", i);
        }
        if (literal.length() > 0) {
          parts.add(new Literal(literal.toString()));
          literal.setLength(0);
        }
        parts.add(new Expression(source, start));
        i = end + 1;
      } else {
        literal.append(text.charAt(i));
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Literal(literal.toString()));
    }
    return new Template(text, parts);
  }

  /** The template as written. */
  public String text() {
    return text;
  }

  /** The parts in order; immutable. */
  public List<Part> parts() {
    return parts;
  }

  /** True when the template has no expressions, so rendering it needs no JavaScript at all. */
  public boolean isConstant() {
    return parts.stream().noneMatch(part -> part instanceof Expression);
  }

  @Override
  public boolean equals(Object other) {
    return other instanceof Template that && text.equals(that.text);
  }

  @Override
  public int hashCode() {
    return text.hashCode();
  }

  @Override
  public String toString() {
    return "Template[" + text + "]";
  }

  /** Finds where an embedded expression ends, skipping strings, template literals and comments. */
  private static final class ExpressionScanner {

    /** The scanner recurses per template literal inside a template literal; this bounds it. */
    private static final int MAX_NESTED_LITERALS = 64;

    private final String text;

    ExpressionScanner(String text) {
      this.text = text;
    }

    /**
     * Index of the brace that closes the expression starting at {@code start}.
     *
     * @param opening index of the <code>$</code> of the <code>${</code>, for the error message
     */
    int closingBrace(int start, int opening, int nesting) {
      if (nesting > MAX_NESTED_LITERALS) {
        throw new TemplateSyntaxException("template literals nested more than " + MAX_NESTED_LITERALS
            + " levels deep inside ${", opening);
      }
      int depth = 0;
      int i = start;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '{') {
          depth++;
          i++;
        } else if (c == '}') {
          if (depth == 0) {
            return i;
          }
          depth--;
          i++;
        } else if (c == '\'' || c == '"') {
          i = afterQuoted(i, c, opening);
        } else if (c == '`') {
          i = afterTemplateLiteral(i, opening, nesting);
        } else if (text.startsWith("//", i)) {
          int newline = text.indexOf('\n', i);
          i = newline < 0 ? text.length() : newline + 1;
        } else if (text.startsWith("/*", i)) {
          int close = text.indexOf("*/", i + 2);
          i = close < 0 ? text.length() : close + 2;
        } else {
          i++;
        }
      }
      throw new TemplateSyntaxException("unterminated ${ (no matching })", opening);
    }

    private int afterQuoted(int quote, char kind, int opening) {
      int i = quote + 1;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '\\') {
          i += 2;
        } else if (c == kind) {
          return i + 1;
        } else {
          i++;
        }
      }
      throw new TemplateSyntaxException(
          "unterminated ${ (a string inside it is not closed)", opening);
    }

    private int afterTemplateLiteral(int backtick, int opening, int nesting) {
      int i = backtick + 1;
      while (i < text.length()) {
        char c = text.charAt(i);
        if (c == '\\') {
          i += 2;
        } else if (c == '`') {
          return i + 1;
        } else if (text.startsWith("${", i)) {
          i = closingBrace(i + 2, opening, nesting + 1) + 1;
        } else {
          i++;
        }
      }
      throw new TemplateSyntaxException(
          "unterminated ${ (a template literal inside it is not closed)", opening);
    }
  }
}
