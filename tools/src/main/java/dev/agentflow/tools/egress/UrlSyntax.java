package dev.agentflow.tools.egress;

/**
 * What a URL must not contain before any parser sees it: control characters and whitespace,
 * backslashes (which lenient parsers turn into slashes, so two parsers can disagree about the host),
 * and user info ({@code user:password@}, which hides the real host from a reader:
 * {@code https://api.github.com@evil.example/}).
 */
final class UrlSyntax {

  /** The authority of an absolute ({@code scheme://…}) or scheme-relative ({@code //…}) URL. */
  private static final java.util.regex.Pattern AUTHORITY =
      java.util.regex.Pattern.compile("(?:[a-zA-Z][a-zA-Z0-9+.-]*:)?//([^/?#]*)");

  private UrlSyntax() {}

  /**
   * @param what "url" or "redirect", for the message
   * @throws IllegalArgumentException naming the problem (never the whole URL when it holds user info)
   */
  static void check(String url, String what) {
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (Character.isISOControl(c) || Character.isWhitespace(c) || Character.isSpaceChar(c)
          || c == '\u2028' || c == '\u2029' || c == '\ufeff') {
        throw new IllegalArgumentException(
            what + " contains a control or whitespace character (U+" + String.format("%04X", (int) c) + ") at index " + i);
      }
      if (c == '\\') {
        throw new IllegalArgumentException(what + " contains a backslash at index " + i);
      }
    }
    java.util.regex.Matcher authority = AUTHORITY.matcher(url);
    if (authority.lookingAt() && authority.group(1).contains("@")) {
      throw new IllegalArgumentException(what + " contains user info ('…@' before the host); credentials"
          + " go in headers, never in the URL");
    }
  }
}
