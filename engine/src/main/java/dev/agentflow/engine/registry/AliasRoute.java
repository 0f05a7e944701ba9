package dev.agentflow.engine.registry;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Where an alias points: one version ({@code 7}) or several with weights in percent ({@code
 * 7:90,8:10}) for a canary. A weighted alias picks a version from the workflow id alone, so the same
 * id (a retry, a reset, a re-run) always lands on the same version, and ids spread over the versions
 * in proportion to the weights.
 *
 * @param targets the versions and their weights, in the order written; the weights add up to 100
 */
public record AliasRoute(List<Target> targets) {

  /** One version and its share of new runs, in percent. */
  public record Target(int version, int weight) {}

  public AliasRoute {
    targets = List.copyOf(targets);
    if (targets.isEmpty()) {
      throw new IllegalArgumentException("an alias needs at least one version");
    }
    int total = 0;
    List<Integer> seen = new ArrayList<>();
    for (Target target : targets) {
      if (target.version() < 1) {
        throw new IllegalArgumentException("version " + target.version() + " is not a version (1 or more)");
      }
      if (target.weight() < 1 || target.weight() > 100) {
        throw new IllegalArgumentException("weight " + target.weight() + " of version " + target.version()
            + " is not a percentage from 1 to 100");
      }
      if (seen.contains(target.version())) {
        throw new IllegalArgumentException("version " + target.version() + " is named twice");
      }
      seen.add(target.version());
      total += target.weight();
    }
    if (total != 100) {
      throw new IllegalArgumentException("the weights add up to " + total + ", not 100");
    }
  }

  /** All new runs on one version. */
  public static AliasRoute single(int version) {
    return new AliasRoute(List.of(new Target(version, 100)));
  }

  /**
   * Parses {@code 7} or {@code 7:90,8:10}.
   *
   * @throws IllegalArgumentException saying what is wrong and what the form is
   */
  public static AliasRoute parse(String text) {
    String form = " (write VERSION, or VERSION:PERCENT,… adding up to 100, e.g. 7:90,8:10)";
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("no version given" + form);
    }
    String[] parts = text.trim().split(",", -1);
    if (parts.length == 1 && !parts[0].contains(":")) {
      return single(number(parts[0], "version", form));
    }
    List<Target> targets = new ArrayList<>();
    for (String part : parts) {
      String[] pair = part.trim().split(":", -1);
      if (pair.length != 2) {
        throw new IllegalArgumentException("'" + part.trim() + "' is not VERSION:PERCENT" + form);
      }
      targets.add(new Target(number(pair[0], "version", form), number(pair[1], "weight", form)));
    }
    try {
      return new AliasRoute(targets);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(e.getMessage() + form, e);
    }
  }

  private static int number(String text, String what, String form) {
    try {
      return Integer.parseInt(text.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("'" + text.trim() + "' is not a " + what + form, e);
    }
  }

  /** The version a run with this workflow id gets: the same for the same id, always. */
  public int pick(String workflowId) {
    if (targets.size() == 1) {
      return targets.get(0).version();
    }
    int bucket = bucketOf(workflowId);
    int upTo = 0;
    for (Target target : targets) {
      upTo += target.weight() * 100;
      if (bucket < upTo) {
        return target.version();
      }
    }
    return targets.get(targets.size() - 1).version();
  }

  /** The id's place in 0..9999 (hundredths of a percent), from the sha256 of its UTF-8 bytes. */
  static int bucketOf(String workflowId) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(workflowId.getBytes(StandardCharsets.UTF_8));
      long value = 0;
      for (int i = 0; i < 8; i++) {
        value = (value << 8) | (digest[i] & 0xff);
      }
      return (int) Long.remainderUnsigned(value, 10_000);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  /** The versions named, in the order written. */
  public List<Integer> versions() {
    return targets.stream().map(Target::version).toList();
  }

  /** As written on the command line: {@code 7} or {@code 7:90,8:10}. */
  @Override
  public String toString() {
    if (targets.size() == 1) {
      return Integer.toString(targets.get(0).version());
    }
    return targets.stream().map(t -> t.version() + ":" + t.weight()).collect(Collectors.joining(","));
  }
}
