package dev.agentflow.dsl;

/**
 * When a fan-out is complete: every branch ({@code all}), the first success ({@code any}), or the
 * first {@code n} successes ({@code atLeast: n}). Remaining branches are cancelled once the join
 * is satisfied.
 *
 * @param mode all, any or atLeast
 * @param count successes needed: branches for all, 1 for any, n for atLeast
 */
public record Join(String mode, int count) {

  public static Join all() {
    return new Join("all", -1);
  }

  public static Join any() {
    return new Join("any", 1);
  }

  public static Join atLeast(int count) {
    return new Join("atLeast", count);
  }

  /** Successes needed out of {@code branches}. */
  public int needed(int branches) {
    return "all".equals(mode) ? branches : Math.min(count, branches);
  }
}
