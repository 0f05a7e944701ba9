package dev.agentflow.tools.builtin;

import dev.agentflow.tools.ToolException;
import java.util.ArrayList;
import java.util.List;

/**
 * A recursive-descent evaluator for the {@code calculator} tool, over doubles. Hand-written on
 * purpose: a script engine would evaluate far more than arithmetic. Every error names the
 * 1-based character position it was found at.
 *
 * <pre>
 * expression := term (('+' | '-') term)*
 * term       := unary (('*' | '/' | '%') unary)*
 * unary      := ('-' | '+') unary | power
 * power      := primary ('^' unary)?          right-associative; -2^2 = -4, 2^-1 = 0.5
 * primary    := number | '(' expression ')' | constant | function '(' expression (',' expression)* ')'
 * </pre>
 */
final class ArithmeticParser {

  static final int MAX_LENGTH = 2000;
  static final int MAX_DEPTH = 100;

  private final String text;
  private int pos;
  private int depth;

  private ArithmeticParser(String text) {
    this.text = text;
  }

  /** Evaluates the whole text, or throws a non-retryable {@code InvalidToolArguments}. */
  static double evaluate(String text) throws ToolException {
    if (text.length() > MAX_LENGTH) {
      throw ToolException.invalidArguments("expression is longer than " + MAX_LENGTH + " characters");
    }
    ArithmeticParser parser = new ArithmeticParser(text);
    parser.skipSpaces();
    if (parser.atEnd()) {
      throw ToolException.invalidArguments("expression is empty");
    }
    double value = parser.expression();
    if (!parser.atEnd()) {
      throw parser.error("unexpected '" + parser.peek() + "'");
    }
    return value;
  }

  private double expression() throws ToolException {
    double value = term();
    while (true) {
      if (accept('+')) {
        value += term();
      } else if (accept('-')) {
        value -= term();
      } else {
        return value;
      }
    }
  }

  private double term() throws ToolException {
    double value = unary();
    while (true) {
      int operator = pos;
      if (accept('*')) {
        value *= unary();
      } else if (accept('/')) {
        double divisor = unary();
        if (divisor == 0) {
          throw errorAt(operator, "division by zero");
        }
        value /= divisor;
      } else if (accept('%')) {
        double divisor = unary();
        if (divisor == 0) {
          throw errorAt(operator, "modulo by zero");
        }
        value %= divisor;
      } else {
        return value;
      }
    }
  }

  private double unary() throws ToolException {
    enter();
    try {
      if (accept('-')) {
        return -unary();
      }
      if (accept('+')) {
        return unary();
      }
      return power();
    } finally {
      depth--;
    }
  }

  private double power() throws ToolException {
    double base = primary();
    if (accept('^')) {
      return Math.pow(base, unary());
    }
    return base;
  }

  private double primary() throws ToolException {
    if (atEnd()) {
      throw error("expression ends too early");
    }
    int start = pos;
    char c = peek();
    if (accept('(')) {
      enter();
      try {
        double value = expression();
        expect(')');
        return value;
      } finally {
        depth--;
      }
    }
    if (Character.isDigit(c) || c == '.') {
      return number();
    }
    if (Character.isLetter(c)) {
      String name = identifier();
      if (accept('(')) {
        return function(name, start, arguments());
      }
      return constant(name, start);
    }
    throw error("unexpected '" + c + "'");
  }

  private double number() throws ToolException {
    int start = pos;
    while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
      pos++;
    }
    if (pos < text.length() && text.charAt(pos) == '.') {
      pos++;
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    if (pos < text.length() && (text.charAt(pos) == 'e' || text.charAt(pos) == 'E') && exponentFollows(pos + 1)) {
      pos++;
      if (text.charAt(pos) == '+' || text.charAt(pos) == '-') {
        pos++;
      }
      while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
        pos++;
      }
    }
    String literal = text.substring(start, pos);
    if (literal.equals(".")) {
      throw errorAt(start, "'.' is not a number");
    }
    skipSpaces();
    return Double.parseDouble(literal);
  }

  private boolean exponentFollows(int at) {
    if (at < text.length() && (text.charAt(at) == '+' || text.charAt(at) == '-')) {
      at++;
    }
    return at < text.length() && Character.isDigit(text.charAt(at));
  }

  private String identifier() {
    int start = pos;
    while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
      pos++;
    }
    String name = text.substring(start, pos);
    skipSpaces();
    return name;
  }

  private List<Double> arguments() throws ToolException {
    enter();
    try {
      List<Double> values = new ArrayList<>();
      values.add(expression());
      while (accept(',')) {
        values.add(expression());
      }
      expect(')');
      return values;
    } finally {
      depth--;
    }
  }

  private double constant(String name, int at) throws ToolException {
    return switch (name) {
      case "pi" -> Math.PI;
      case "e" -> Math.E;
      default -> throw errorAt(at, "unknown name '" + name + "' (constants: pi, e)");
    };
  }

  private double function(String name, int at, List<Double> args) throws ToolException {
    switch (name) {
      case "min", "max" -> {
        double result = args.get(0);
        for (double arg : args) {
          result = name.equals("min") ? Math.min(result, arg) : Math.max(result, arg);
        }
        return result;
      }
      case "sqrt", "abs", "round", "floor", "ceil" -> {
        if (args.size() != 1) {
          throw errorAt(at, name + "() takes 1 argument, got " + args.size());
        }
        double x = args.get(0);
        return switch (name) {
          case "sqrt" -> {
            if (x < 0) {
              throw errorAt(at, "sqrt() of a negative number");
            }
            yield Math.sqrt(x);
          }
          case "abs" -> Math.abs(x);
          case "round" -> Math.signum(x) * Math.floor(Math.abs(x) + 0.5); // half away from zero
          case "floor" -> Math.floor(x);
          default -> Math.ceil(x);
        };
      }
      default -> throw errorAt(at, "unknown function '" + name + "' (functions: sqrt, abs, min, max, round, floor, ceil)");
    }
  }

  private void enter() throws ToolException {
    if (++depth > MAX_DEPTH) {
      throw error("expression nests deeper than " + MAX_DEPTH + " levels");
    }
  }

  private boolean accept(char expected) {
    if (!atEnd() && peek() == expected) {
      pos++;
      skipSpaces();
      return true;
    }
    return false;
  }

  private void expect(char expected) throws ToolException {
    if (!accept(expected)) {
      throw error(atEnd() ? "expected '" + expected + "' but the expression ends" : "expected '" + expected + "' but found '" + peek() + "'");
    }
  }

  private void skipSpaces() {
    while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
      pos++;
    }
  }

  private boolean atEnd() {
    return pos >= text.length();
  }

  private char peek() {
    return text.charAt(pos);
  }

  private ToolException error(String message) {
    return errorAt(pos, message);
  }

  private static ToolException errorAt(int index, String message) {
    return ToolException.invalidArguments(message + " at position " + (index + 1));
  }
}
