package dev.agentflow.dsl.expr;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.SourceSection;

/**
 * Checks that an expression of a definition is one JavaScript expression, without running it.
 *
 * <p>Validation calls this for every {@code when:}, {@code set:}, {@code output:} and template
 * expression so that a typo is reported with its position when the definition is loaded, not as a
 * failed workflow later. The engine's sandbox evaluates expressions in exactly the wrapper of
 * {@link #wrap(String)}, so what passes here compiles there.
 *
 * <p>An expression is checked twice: inside the function wrapper and inside an array literal in
 * the same wrapper. Text that closes the wrapper's parenthesis early (such as {@code 1); f(); (2})
 * parses in one but never in both, so only a single expression passes.
 */
public final class ExpressionSyntax {

  /**
   * Names visible to every expression, in the order of the wrapper function's parameters. {@code
   * item} and {@code index} are bound in the {@code input} of fan-out nodes, {@code review} in the
   * templates of a review node's author and reviewer; elsewhere they are undefined.
   */
  public static final List<String> SCOPE_NAMES =
      List.of("input", "nodes", "vars", "visits", "usage", "run", "output", "item", "index", "review");

  private static final String PARAMETERS = String.join(", ", SCOPE_NAMES);
  private static final String SOURCE_NAME = "expression";

  /**
   * Deepest bracket nesting handed to the parser at all, whatever the reader's limit: the parser
   * recurses per level and gives up (resource exhausted) at about 60 levels on a 256 KiB thread
   * stack and about 100 on a 1 MiB one.
   */
  public static final int PARSER_MAX_DEPTH = 64;

  /**
   * Longest expression handed to the parser. Its syntax error message repeats the expression's line
   * once per error it finds, so a 64 KB line of mistakes made a 1.5-billion-character message (14 GB
   * allocated); at 4,096 characters the worst case stays near 100 MB.
   */
  public static final int MAX_LENGTH = 4096;

  private ExpressionSyntax() {}

  /**
   * The JavaScript source that evaluates to a function of the scope returning the expression's
   * value. The expression starts on line 2, so a position reported by the parser is one line past
   * the position inside the expression.
   */
  public static String wrap(String expression) {
    return "(function(" + PARAMETERS + ") { return (\n" + expression + "\n); })";
  }

  /**
   * Empty when the text is one JavaScript expression; otherwise the parser's message with the line
   * and column inside the expression, e.g. {@code "line 1, column 5: Expected an operand but found
   * *"}.
   */
  public static Optional<String> check(String expression) {
    Objects.requireNonNull(expression, "expression");
    try (Context context = newParsingContext()) {
      return check(context, expression);
    }
  }

  /**
   * Like {@link #check(String)} but parses in a context the caller already holds (the engine's
   * sandbox uses its own). Parsing does not run any code and leaves the context unchanged.
   */
  public static Optional<String> check(Context context, String expression) {
    Objects.requireNonNull(expression, "expression");
    if (expression.length() > MAX_LENGTH) {
      return Optional.of(tooLongMessage(expression));
    }
    OptionalInt tooDeep = ExpressionDepth.firstTooDeep(expression, PARSER_MAX_DEPTH);
    if (tooDeep.isPresent()) {
      return Optional.of(tooDeepMessage(expression, tooDeep.getAsInt(), PARSER_MAX_DEPTH));
    }
    Optional<String> asFunction = parse(context, wrap(expression), expression);
    if (asFunction.isPresent()) {
      return asFunction;
    }
    String asArrayElement =
        "(function(" + PARAMETERS + ") { return [\n" + expression + "\n]; })";
    return parse(context, asArrayElement, expression)
        .map(problem -> problem + " (the text is not a single expression)");
  }

  /**
   * Empty when the expression uses none of the syntax expressions may not use: {@code async}
   * functions, {@code await}, {@code import(…)} and BigInt literals (see {@link ForbiddenSyntax});
   * otherwise what and where ("line 1, column 5: …"). Checked by validation and by the engine's
   * sandbox before it compiles an expression. Needs no JavaScript context.
   */
  public static Optional<String> checkAllowed(String expression) {
    Objects.requireNonNull(expression, "expression");
    return ForbiddenSyntax.find(expression);
  }

  /**
   * Empty when the template parses and every embedded expression is valid; otherwise the first
   * problem, naming the offset of the expression in the template.
   */
  public static Optional<String> checkTemplate(String template) {
    Template parsed;
    try {
      parsed = Template.parse(template);
    } catch (TemplateSyntaxException e) {
      return Optional.of(e.getMessage());
    }
    if (parsed.isConstant()) {
      return Optional.empty();
    }
    try (Context context = newParsingContext()) {
      for (Template.Part part : parsed.parts()) {
        if (part instanceof Template.Expression expression) {
          Optional<String> problem = check(context, expression.source());
          if (problem.isPresent()) {
            return Optional.of(
                "expression at offset " + expression.offset() + ": " + problem.get());
          }
        }
      }
    }
    return Optional.empty();
  }

  private static Context newParsingContext() {
    return Context.newBuilder("js").engine(SharedJsEngine.get()).allowAllAccess(false).build();
  }

  /** "the expression is 640000 characters long …". */
  public static String tooLongMessage(String expression) {
    return "the expression is " + expression.length() + " characters long, more than the " + MAX_LENGTH
        + " an expression may have; compute the rest in a tool or split it up";
  }

  /** "line 1, column 70: brackets nested more than 64 levels deep …". */
  public static String tooDeepMessage(String expression, int offset, int maxDepth) {
    return ExpressionDepth.position(expression, offset) + ": brackets nested more than " + maxDepth
        + " levels deep; split the expression up";
  }

  /**
   * A syntax error is the expression's fault and says where; any other failure of the parser (its
   * stack exhausted by a pathological expression) is reported too, never thrown, so one bad
   * expression cannot stop the validation of the rest.
   */
  private static Optional<String> parse(Context context, String wrapped, String expression) {
    try {
      context.parse(Source.newBuilder("js", wrapped, SOURCE_NAME).buildLiteral());
      return Optional.empty();
    } catch (PolyglotException e) {
      if (!e.isSyntaxError()) {
        return Optional.of("the expression is too complex to parse ("
            + (e.isResourceExhausted() ? "the parser ran out of stack" : firstLine(e)) + "); simplify it");
      }
      return Optional.of(position(e.getSourceLocation(), expression) + ": " + reason(e));
    }
  }

  private static String firstLine(PolyglotException e) {
    String message = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    return message.lines().findFirst().orElse(message);
  }

  /** "line L, column C" inside the expression, or "at the end of the expression". */
  private static String position(SourceSection location, String expression) {
    if (location == null || !location.isAvailable()) {
      return "syntax error";
    }
    int line = location.getStartLine() - 1;
    long expressionLines = expression.lines().count();
    if (line < 1 || line > Math.max(expressionLines, 1)) {
      return "at the end of the expression";
    }
    return "line " + line + ", column " + location.getStartColumn();
  }

  /** The parser's own words, without the "SyntaxError: expression:2:4 " prefix and code excerpt. */
  private static String reason(PolyglotException e) {
    String message = e.getMessage() == null ? "syntax error" : e.getMessage();
    String firstLine = message.lines().findFirst().orElse(message);
    String prefix = "SyntaxError: ";
    if (firstLine.startsWith(prefix)) {
      firstLine = firstLine.substring(prefix.length());
    }
    if (firstLine.startsWith(SOURCE_NAME + ":")) {
      int space = firstLine.indexOf(' ');
      firstLine = space < 0 ? firstLine : firstLine.substring(space + 1);
    }
    return firstLine.strip();
  }
}
