package dev.agentflow.dsl.internal;

import java.util.Collection;
import java.util.Optional;

/** "Did you mean …?": the known name closest to a misspelt one, if any is close enough. */
public final class Suggestions {

  private Suggestions() {}

  /**
   * The first of {@code known} (in iteration order, so pass an ordered collection) within two edits
   * of {@code name}, preferring fewer edits; empty when none is that close or the name is very short.
   */
  public static Optional<String> closest(String name, Collection<String> known) {
    String best = null;
    int bestDistance = Integer.MAX_VALUE;
    int limit = name.length() <= 3 ? 1 : 2;
    for (String candidate : known) {
      if (Math.abs(candidate.length() - name.length()) > limit) {
        continue; // at least that many edits apart; also keeps a huge name from costing length² memory
      }
      int distance = distance(name.toLowerCase(java.util.Locale.ROOT),
          candidate.toLowerCase(java.util.Locale.ROOT));
      if (distance <= limit && distance < bestDistance && !candidate.equals(name)) {
        best = candidate;
        bestDistance = distance;
      }
    }
    return Optional.ofNullable(best);
  }

  /** " (did you mean 'x'?)" or "". */
  public static String hint(String name, Collection<String> known) {
    return closest(name, known).map(match -> " (did you mean '" + match + "'?)").orElse("");
  }

  /** Levenshtein distance with adjacent transpositions counted as one edit. */
  static int distance(String a, String b) {
    int[][] d = new int[a.length() + 1][b.length() + 1];
    for (int i = 0; i <= a.length(); i++) {
      d[i][0] = i;
    }
    for (int j = 0; j <= b.length(); j++) {
      d[0][j] = j;
    }
    for (int i = 1; i <= a.length(); i++) {
      for (int j = 1; j <= b.length(); j++) {
        int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
        d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length()][b.length()];
  }
}
