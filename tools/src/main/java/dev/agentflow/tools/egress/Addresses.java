package dev.agentflow.tools.egress;

import java.net.InetAddress;
import java.util.Arrays;

/** Byte-level helpers for addresses: the IPv4 address an IPv6 form carries, when it carries one. */
final class Addresses {

  private Addresses() {}

  /** The address's bytes; an IPv4-mapped IPv6 address ({@code ::ffff:a.b.c.d}) as its four IPv4 bytes. */
  static byte[] canonicalBytes(InetAddress address) {
    byte[] bytes = address.getAddress();
    if (bytes.length == 16 && hasPrefix(bytes, MAPPED_PREFIX)) {
      return Arrays.copyOfRange(bytes, 12, 16);
    }
    return bytes;
  }

  static final byte[] MAPPED_PREFIX = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff};

  static boolean hasPrefix(byte[] bytes, byte[] prefix) {
    if (bytes.length < prefix.length) {
      return false;
    }
    for (int i = 0; i < prefix.length; i++) {
      if (bytes[i] != prefix[i]) {
        return false;
      }
    }
    return true;
  }
}
