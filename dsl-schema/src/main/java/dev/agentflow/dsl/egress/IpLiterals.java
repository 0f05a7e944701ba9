package dev.agentflow.dsl.egress;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Parses IP address literals without ever asking DNS. IPv4 must be a plain dotted quad ({@code
 * 127.0.0.1}); the legacy forms {@code InetAddress} and OkHttp also accept ({@code 127.1}, {@code
 * 0177.0.0.1}, {@code 2130706433}) are refused as ambiguous, so no check and connection can read the
 * same host differently.
 */
public final class IpLiterals {

  /** What OkHttp treats as an address literal (it then connects without asking its {@code Dns}). */
  private static final Pattern NUMERIC_HOST = Pattern.compile("[0-9a-fA-F]*:[0-9a-fA-F:.%\\w]*|[0-9.]+");
  private static final Pattern DOTTED_QUAD =
      Pattern.compile("(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})\\.(0|[1-9][0-9]{0,2})");

  /** A host whose last label is a number: the WHATWG URL standard parses it as an IPv4 address. */
  private static final Pattern ENDS_IN_NUMBER = Pattern.compile("(?:.*\\.)?(?:0[xX][0-9a-fA-F]*|[0-9]+)\\.?");

  private IpLiterals() {}

  /** Whether {@code host} is written as an address (IPv4 digits and dots, or IPv6 with a colon). */
  public static boolean looksNumeric(String host) {
    String bare = unbracket(host);
    return NUMERIC_HOST.matcher(bare).matches();
  }

  /**
   * The address {@code text} denotes, or empty when it is not an address literal.
   *
   * @throws IllegalArgumentException when it looks like an address but is not a standard one
   */
  public static Optional<InetAddress> parse(String text) {
    String bare = unbracket(text);
    if (!looksNumeric(bare)) {
      if (ENDS_IN_NUMBER.matcher(bare).matches()) {
        throw new IllegalArgumentException("'" + text + "' ends in a number, so browsers read it as an IPv4"
            + " address (e.g. 0x7f.0.0.1); only the dotted-quad form is accepted");
      }
      return Optional.empty();
    }
    if (bare.contains(":")) {
      try {
        // brackets make InetAddress treat the text as a literal only: never a DNS lookup
        return Optional.of(InetAddress.getByName("[" + bare + "]"));
      } catch (UnknownHostException e) {
        throw new IllegalArgumentException("'" + text + "' is not a valid IPv6 address");
      }
    }
    var quad = DOTTED_QUAD.matcher(bare);
    if (!quad.matches()) {
      throw new IllegalArgumentException(
          "'" + text + "' is not a standard dotted-quad IPv4 address (forms such as 127.1 or 0177.0.0.1 are refused)");
    }
    byte[] bytes = new byte[4];
    for (int i = 0; i < 4; i++) {
      int part = Integer.parseInt(quad.group(i + 1));
      if (part > 255) {
        throw new IllegalArgumentException("'" + text + "' is not a valid IPv4 address");
      }
      bytes[i] = (byte) part;
    }
    try {
      return Optional.of(InetAddress.getByAddress(bytes));
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  /** The address's bytes; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its four IPv4 bytes. */
  public static byte[] canonicalBytes(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16) {
      for (int i = 0; i < 12; i++) {
        if (bytes[i] != (i < 10 ? 0 : (byte) 0xff)) {
          return bytes;
        }
      }
      return java.util.Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  private static String unbracket(String host) {
    return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
  }
}
