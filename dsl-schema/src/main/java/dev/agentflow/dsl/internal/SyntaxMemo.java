package dev.agentflow.dsl.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * Remembers whether an expression parses, for the life of the JVM. A worker loads the definition
 * of every run it starts, usually the same few definitions over and over; without this each load
 * created a JavaScript context just to parse expressions it had parsed before, which cost a
 * worker running 1,000 runs of one graph a fifth of its CPU. Whether a text parses never changes,
 * so the answer is the same with or without the memo.
 */
final class SyntaxMemo {

  private static final int CAPACITY = 10_000;
  private static final int MAX_REMEMBERED_LENGTH = 4096;

  private static final Map<String, Optional<String>> KNOWN =
      new LinkedHashMap<>(256, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Optional<String>> eldest) {
          return size() > CAPACITY;
        }
      };

  private SyntaxMemo() {}

  /** The problem with {@code expression} (empty when it parses), from memory or from {@code parse}. */
  static Optional<String> problem(String expression, Function<String, Optional<String>> parse) {
    synchronized (KNOWN) {
      Optional<String> known = KNOWN.get(expression);
      if (known != null) {
        return known;
      }
    }
    Optional<String> problem = parse.apply(expression);
    if (expression.length() > MAX_REMEMBERED_LENGTH) {
      return problem; // 10,000 huge texts would hold gigabytes
    }
    synchronized (KNOWN) {
      KNOWN.put(expression, problem);
    }
    return problem;
  }
}
