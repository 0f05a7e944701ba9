package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * The address ranges no tool or model endpoint reaches unless the worker's {@code egress.allow}
 * names them: this host, private networks, link-local (the cloud metadata address 169.254.169.254),
 * carrier-grade NAT, multicast, broadcast, reserved, benchmarking and documentation ranges, and the
 * IPv6 forms that carry an IPv4 address (IPv4-mapped, NAT64, 6to4), which are judged by the address
 * they carry. Teredo, IPv4-compatible and local-use NAT64 forms are refused outright.
 */
public final class SpecialRanges {

  /** One named range. */
  public record Range(String name, HostRule.Cidr cidr) {}

  private static final List<Range> IPV4 = List.of(
      range("'this network'", "0.0.0.0/8"),
      range("private network (RFC 1918)", "10.0.0.0/8"),
      range("shared address space / carrier-grade NAT", "100.64.0.0/10"),
      range("loopback", "127.0.0.0/8"),
      range("link-local (cloud metadata)", "169.254.0.0/16"),
      range("private network (RFC 1918)", "172.16.0.0/12"),
      range("IETF protocol assignments", "192.0.0.0/24"),
      range("documentation (TEST-NET-1)", "192.0.2.0/24"),
      range("6to4 relay anycast", "192.88.99.0/24"),
      range("private network (RFC 1918)", "192.168.0.0/16"),
      range("benchmarking", "198.18.0.0/15"),
      range("documentation (TEST-NET-2)", "198.51.100.0/24"),
      range("documentation (TEST-NET-3)", "203.0.113.0/24"),
      range("multicast", "224.0.0.0/4"),
      range("broadcast", "255.255.255.255/32"),
      range("reserved", "240.0.0.0/4"));

  private static final List<Range> IPV6 = List.of(
      range("unspecified", "::/128"),
      range("loopback", "::1/128"),
      range("IPv4-compatible (deprecated)", "::/96"),
      range("discard-only", "100::/64"),
      range("local-use NAT64", "64:ff9b:1::/48"),
      range("Teredo", "2001::/32"),
      range("benchmarking", "2001:2::/48"),
      range("ORCHID", "2001:10::/28"),
      range("documentation", "2001:db8::/32"),
      range("unique local", "fc00::/7"),
      range("link-local", "fe80::/10"),
      range("site-local (deprecated)", "fec0::/10"),
      range("multicast", "ff00::/8"));

  private static final HostRule.Cidr NAT64 = (HostRule.Cidr) HostRule.parse("64:ff9b::/96");
  private static final HostRule.Cidr SIX_TO_FOUR = (HostRule.Cidr) HostRule.parse("2002::/16");

  private SpecialRanges() {}

  /**
   * The special range {@code address} is in, described for a message (e.g. {@code "loopback
   * 127.0.0.0/8"}), or empty for an ordinary public address.
   */
  public static Optional<String> classify(InetAddress address) {
    byte[] bytes = IpLiterals.canonicalBytes(address);
    if (bytes.length == 4) {
      return find(IPV4, address).map(range -> range.name() + " " + range.cidr().text());
    }
    if (NAT64.contains(address)) {
      return embedded(bytes, 12, "NAT64 form of ");
    }
    if (SIX_TO_FOUR.contains(address)) {
      return embedded(bytes, 2, "6to4 form of ");
    }
    return find(IPV6, address).map(range -> range.name() + " " + range.cidr().text());
  }

  /** Every range, for documentation and tests. */
  public static List<Range> all() {
    return java.util.stream.Stream.concat(IPV4.stream(), IPV6.stream()).toList();
  }

  private static Optional<String> embedded(byte[] bytes, int offset, String form) {
    try {
      InetAddress inner = InetAddress.getByAddress(Arrays.copyOfRange(bytes, offset, offset + 4));
      return find(IPV4, inner).map(range -> form + range.name() + " " + range.cidr().text());
    } catch (UnknownHostException e) {
      throw new IllegalStateException("four bytes are always an IPv4 address", e);
    }
  }

  private static Optional<Range> find(List<Range> ranges, InetAddress address) {
    return ranges.stream().filter(range -> range.cidr().contains(address)).findFirst();
  }

  private static Range range(String name, String cidr) {
    return new Range(name, (HostRule.Cidr) HostRule.parse(cidr));
  }
}
