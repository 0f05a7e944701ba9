package dev.agentflow.dsl.egress;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of an egress or secret host list: a CIDR range ({@code 10.0.0.0/8}, {@code
 * 2001:db8::/32}, or a single address, which is a /32 or /128), or a host pattern ({@code
 * api.github.com}, or {@code *.github.com} for every name below github.com, not github.com itself).
 * A CIDR matches the address a connection goes to; a host pattern matches the name in the URL.
 */
public sealed interface HostRule permits HostRule.Cidr, HostRule.HostPattern {

  /** The entry as written (normalised to lower case). */
  String text();

  /**
   * Whether the rule covers a connection to {@code host} (as in the URL) at {@code address}.
   *
   * @param address the resolved address, or null when only the name is known yet
   */
  boolean matches(String host, InetAddress address);

  /**
   * Parses one entry.
   *
   * @throws IllegalArgumentException saying what is wrong with it
   */
  static HostRule parse(String text) {
    if (text == null || text.isBlank()) {
      throw new IllegalArgumentException("an empty entry (expected a CIDR such as 10.0.0.0/8 or a host such as *.example.com)");
    }
    String entry = text.strip().toLowerCase(Locale.ROOT);
    if (entry.contains("://")) {
      throw new IllegalArgumentException("'" + text + "' is a URL; write the host (api.example.com) or a CIDR");
    }
    int slash = entry.indexOf('/');
    if (slash >= 0) {
      InetAddress network = IpLiterals.parse(entry.substring(0, slash))
          .orElseThrow(() -> new IllegalArgumentException("'" + text + "' is not a CIDR: no address before '/'"));
      int bits = network.getAddress().length * 8;
      int prefix;
      try {
        prefix = Integer.parseInt(entry.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR: the prefix length must be a number");
      }
      if (prefix < 0 || prefix > bits) {
        throw new IllegalArgumentException("'" + text + "' is not a CIDR: the prefix length must be 0 to " + bits);
      }
      return new Cidr(entry, network.getAddress(), prefix);
    }
    Optional<InetAddress> address = IpLiterals.parse(entry);
    if (address.isPresent()) {
      byte[] bytes = address.get().getAddress();
      return new Cidr(entry, bytes, bytes.length * 8);
    }
    return HostPattern.parse(text, entry);
  }

  /** An address range; IPv4-mapped IPv6 addresses are compared as the IPv4 address they carry. */
  record Cidr(String text, byte[] network, int prefix) implements HostRule {

    @Override
    public boolean matches(String host, InetAddress address) {
      return address != null && contains(address);
    }

    /** Whether {@code address} is inside the range. */
    public boolean contains(InetAddress address) {
      byte[] bytes = IpLiterals.canonicalBytes(address);
      if (bytes.length != network.length) {
        return false;
      }
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (bytes[i] != network[i]) {
          return false;
        }
      }
      int rest = prefix % 8;
      if (rest == 0) {
        return true;
      }
      int mask = (0xff << (8 - rest)) & 0xff;
      return (bytes[full] & mask) == (network[full] & mask);
    }

    /** Whether this range lies inside {@code other}. */
    public boolean within(Cidr other) {
      if (other.network.length != network.length || other.prefix > prefix) {
        return false;
      }
      try {
        InetAddress start = network.length == 4 ? Inet4Address.getByAddress(network) : Inet6Address.getByAddress(network);
        return other.contains(start);
      } catch (java.net.UnknownHostException e) {
        return false;
      }
    }

    @Override
    public String toString() {
      return text;
    }
  }

  /** A host name, or {@code *.} and a domain for every name below it. */
  record HostPattern(String text, String domain, boolean wildcard) implements HostRule {

    private static final Pattern LABELS =
        Pattern.compile("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*");

    static HostPattern parse(String original, String entry) {
      boolean wildcard = entry.startsWith("*.");
      String domain = wildcard ? entry.substring(2) : entry;
      if (domain.endsWith(".")) {
        domain = domain.substring(0, domain.length() - 1);
      }
      if (!LABELS.matcher(domain).matches()) {
        throw new IllegalArgumentException("'" + original + "' is neither a CIDR (10.0.0.0/8, ::1/128) nor a host"
            + " pattern (api.example.com, *.example.com)");
      }
      return new HostPattern(entry, domain, wildcard);
    }

    @Override
    public boolean matches(String host, InetAddress address) {
      if (host == null) {
        return false;
      }
      String name = host.toLowerCase(Locale.ROOT);
      if (name.endsWith(".")) {
        name = name.substring(0, name.length() - 1);
      }
      return wildcard ? name.endsWith("." + domain) : name.equals(domain);
    }

    /** Whether every name this pattern matches is also matched by {@code other}. */
    public boolean within(HostPattern other) {
      if (other.wildcard) {
        return domain.endsWith("." + other.domain) || (wildcard && domain.equals(other.domain));
      }
      return !wildcard && domain.equals(other.domain);
    }

    @Override
    public String toString() {
      return text;
    }
  }
}
