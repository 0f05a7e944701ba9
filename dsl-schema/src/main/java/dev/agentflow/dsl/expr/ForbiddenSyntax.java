package dev.agentflow.dsl.expr;

import java.util.Optional;
import java.util.Set;

/**
 * Finds the syntax expressions may not use, with a JavaScript tokenizer that is good enough for
 * that one question (strings, template literals, comments and regular expressions are skipped;
 * nothing is evaluated):
 *
 * <ul>
 *   <li>{@code async} functions, {@code await} and {@code import(…)}: their promises run after the
 *       expression's value is taken, where no limit but the wall clock stops them, and they never
 *       change the value;
 *   <li>BigInt literals such as {@code 10n}: one {@code **} or {@code <<} on them can take
 *       seconds inside a single builtin that nothing interrupts (the sandbox has no {@code BigInt}).
 * </ul>
 *
 * <p>The words are allowed as property names ({@code x.async}, {@code {await: 1}}). A regular
 * expression is told from a division by the token before it, as parsers do; where that guess is
 * wrong the rule errs towards refusing (the text of a regular expression read as code), and the
 * sandbox's own limits remain behind it.
 */
final class ForbiddenSyntax {

  private static final Set<String> FORBIDDEN_WORDS = Set.of("async", "await", "import");

  /** Keywords after which a '/' starts a regular expression rather than a division. */
  private static final Set<String> REGEX_AFTER =
      Set.of("return", "typeof", "instanceof", "in", "of", "new", "delete", "void", "throw", "case", "do",
          "else", "yield", "await");

  private final String text;
  private int i;
  /** The previous significant token: an identifier or keyword, a punctuator, or "value" (literal). */
  private String previous = "";
  /** Whether the token before {@code previous} was '.' or '?.' (so {@code previous} is a property name). */
  private boolean previousIsProperty;
  private int braceDepth;
  private int templateDepth;
  /** For each open ${…} of a template literal, the brace depth at which it started. */
  private int[] templateBraces = new int[8];

  private ForbiddenSyntax(String text) {
    this.text = text;
  }

  /** A message naming the first forbidden construct and where it is, or empty. */
  static Optional<String> find(String expression) {
    return new ForbiddenSyntax(expression).scan(expression.length());
  }

  private Optional<String> scan(int end) {
    while (i < end) {
      char c = text.charAt(i);
      if (Character.isWhitespace(c)) {
        i++;
      } else if (text.startsWith("//", i)) {
        int newline = text.indexOf('\n', i);
        i = newline < 0 ? text.length() : newline + 1;
      } else if (text.startsWith("/*", i)) {
        int close = text.indexOf("*/", i + 2);
        i = close < 0 ? text.length() : close + 2;
      } else if (c == '\'' || c == '"') {
        i = afterQuoted(i, c);
        token("value", false);
      } else if (c == '`') {
        Optional<String> inside = templateLiteral();
        if (inside.isPresent()) {
          return inside;
        }
        token("value", false);
      } else if (c == '/' && regexAllowed()) {
        i = afterRegex(i);
        token("value", false);
      } else if (Character.isDigit(c) || (c == '.' && i + 1 < end && Character.isDigit(text.charAt(i + 1)))) {
        int start = i;
        i = afterNumber(i);
        if (i < text.length() && text.charAt(i) == 'n') {
          return Optional.of(at(start) + ": BigInt literals such as " + text.substring(start, i + 1)
              + " are not available in expressions");
        }
        token("value", false);
      } else if (Character.isJavaIdentifierStart(c) || c == '\\') {
        int start = i;
        i = afterIdentifier(i);
        String word = text.substring(start, i);
        boolean property = previous.equals(".") || previous.equals("?.");
        if (FORBIDDEN_WORDS.contains(word) && !property && !isObjectKey()) {
          return Optional.of(at(start) + ": '" + word + "' is not available in expressions (no async"
              + " functions, await or import: their work would run after the value is taken, unbounded)");
        }
        token(word, property);
      } else {
        String punctuator = punctuator();
        if (punctuator.equals("}") && templateDepth > 0 && braceDepth == templateBraces[templateDepth - 1]) {
          return Optional.empty(); // the '}' that ends a ${…} of a template literal: its scan resumes
        }
        if (punctuator.equals("{")) {
          braceDepth++;
        } else if (punctuator.equals("}")) {
          braceDepth--;
        }
        token(punctuator, false);
      }
    }
    return Optional.empty();
  }

  /** Scans a template literal from its opening backtick, checking each ${…} as code. */
  private Optional<String> templateLiteral() {
    i++;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '\\') {
        i += 2;
      } else if (c == '`') {
        i++;
        return Optional.empty();
      } else if (text.startsWith("${", i)) {
        i += 2;
        if (templateDepth == templateBraces.length) {
          templateBraces = java.util.Arrays.copyOf(templateBraces, templateDepth * 2);
        }
        templateBraces[templateDepth++] = braceDepth;
        String saved = previous;
        previous = "";
        Optional<String> inside = scan(text.length());
        templateDepth--;
        previous = saved;
        if (inside.isPresent()) {
          return inside;
        }
      } else {
        i++;
      }
    }
    return Optional.empty();
  }

  private void token(String token, boolean property) {
    previous = token;
    previousIsProperty = property;
  }

  /** A '/' here starts a regular expression: at the start, after an operator, or after a keyword such as return. */
  private boolean regexAllowed() {
    if (previous.isEmpty()) {
      return true;
    }
    if (previous.equals("value") || previous.equals(")") || previous.equals("]") || previous.equals("}")) {
      return false;
    }
    char first = previous.charAt(0);
    if (Character.isJavaIdentifierStart(first) || first == '\\') {
      return !previousIsProperty && REGEX_AFTER.contains(previous);
    }
    return true;
  }

  /** The word just read is followed by ':' (an object key, or a label), not by code. */
  private boolean isObjectKey() {
    int j = i;
    while (j < text.length() && Character.isWhitespace(text.charAt(j))) {
      j++;
    }
    return j < text.length() && text.charAt(j) == ':' && (previous.equals("{") || previous.equals(","));
  }

  private int afterQuoted(int quote, char kind) {
    int j = quote + 1;
    while (j < text.length()) {
      char c = text.charAt(j);
      if (c == '\\') {
        j += 2;
      } else if (c == kind || c == '\n') {
        return j + 1;
      } else {
        j++;
      }
    }
    return text.length();
  }

  private int afterRegex(int slash) {
    int j = slash + 1;
    boolean inClass = false;
    while (j < text.length()) {
      char c = text.charAt(j);
      if (c == '\\') {
        j += 2;
        continue;
      }
      if (c == '\n') {
        return j;
      }
      if (c == '[') {
        inClass = true;
      } else if (c == ']') {
        inClass = false;
      } else if (c == '/' && !inClass) {
        j++;
        while (j < text.length() && Character.isJavaIdentifierPart(text.charAt(j))) {
          j++; // flags
        }
        return j;
      }
      j++;
    }
    return text.length();
  }

  private int afterNumber(int start) {
    int j = start;
    while (j < text.length()) {
      char c = text.charAt(j);
      boolean exponentSign = (c == '+' || c == '-') && j > start
          && (text.charAt(j - 1) == 'e' || text.charAt(j - 1) == 'E')
          && !(text.startsWith("0x", start) || text.startsWith("0X", start));
      if (Character.isLetterOrDigit(c) && c != 'n' || c == '.' || c == '_' || exponentSign) {
        j++;
      } else {
        return j;
      }
    }
    return j;
  }

  private int afterIdentifier(int start) {
    int j = start;
    while (j < text.length()) {
      char c = text.charAt(j);
      if (c == '\\') {
        j += 2; // an escape such as \u0061: part of the name, never the keyword itself
      } else if (Character.isJavaIdentifierPart(c) && !Character.isIdentifierIgnorable(c)) {
        j++;
      } else {
        return j;
      }
    }
    return j;
  }

  private String punctuator() {
    for (String candidate : new String[] {"?.", "...", "=>"}) {
      if (text.startsWith(candidate, i) && !(candidate.equals("?.") && i + 2 < text.length()
          && Character.isDigit(text.charAt(i + 2)))) {
        i += candidate.length();
        return candidate;
      }
    }
    return String.valueOf(text.charAt(i++));
  }

  /** "line L, column C" of an offset in the expression. */
  private String at(int offset) {
    int line = 1;
    int lineStart = 0;
    for (int j = 0; j < offset; j++) {
      if (text.charAt(j) == '\n') {
        line++;
        lineStart = j + 1;
      }
    }
    return "line " + line + ", column " + (offset - lineStart + 1);
  }
}
