package dev.agentflow.engine.registry;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How a client names a registered definition: {@code NAME@ALIAS}, {@code NAME:VERSION}, or {@code
 * NAME} alone for its latest version. Parsed strictly, so a typo is an error that says what the three
 * forms are, never a silent fallback.
 *
 * @param name the graph's name (as its definition's {@code name:})
 * @param version the version for {@code NAME:VERSION}, else null
 * @param alias the alias for {@code NAME@ALIAS}, else null
 */
public record GraphReference(String name, Integer version, String alias) {

  /** What a graph name and an alias may be: as the DSL's graph names, letters, digits, '.', '_', '-'. */
  static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private static final Pattern FORM =
      Pattern.compile("(?<name>[A-Za-z0-9][A-Za-z0-9._-]{0,127})(?:@(?<alias>[A-Za-z0-9][A-Za-z0-9._-]{0,63})|:(?<version>[0-9]{1,9}))?");

  /**
   * @throws IllegalArgumentException saying what the accepted forms are
   */
  public static GraphReference parse(String text) {
    Matcher matcher = text == null ? null : FORM.matcher(text.trim());
    if (matcher == null || !matcher.matches()) {
      throw new IllegalArgumentException("'" + text + "' is not a graph reference: write NAME@ALIAS, NAME:VERSION or NAME"
          + " (letters, digits, '.', '_', '-')");
    }
    String version = matcher.group("version");
    return new GraphReference(matcher.group("name"), version == null ? null : Integer.valueOf(version), matcher.group("alias"));
  }

  /** Whether {@code text} has the shape of a reference (a command line uses it to tell refs from files). */
  public static boolean looksLikeReference(String text) {
    return text != null && FORM.matcher(text.trim()).matches();
  }

  public boolean latest() {
    return version == null && alias == null;
  }

  @Override
  public String toString() {
    return alias != null ? name + "@" + alias : version != null ? name + ":" + version : name;
  }
}
