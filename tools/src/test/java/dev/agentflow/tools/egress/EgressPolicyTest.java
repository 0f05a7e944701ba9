package dev.agentflow.tools.egress;

import dev.agentflow.dsl.egress.HostRule;
import dev.agentflow.dsl.egress.IpLiterals;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The decisions alone: addresses are parsed from literals, nothing is resolved or connected. */
class EgressPolicyTest {

  private static final EgressPolicy DEFAULTS = EgressPolicy.defaults();

  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }

  @ParameterizedTest(name = "{0} is refused as {1}")
  @CsvSource(delimiter = '|', value = {
      "127.0.0.1 | loopback",
      "127.255.0.9 | loopback",
      "::1 | loopback",
      "10.20.30.40 | RFC 1918",
      "172.16.5.4 | RFC 1918",
      "172.31.255.255 | RFC 1918",
      "192.168.1.1 | RFC 1918",
      "169.254.169.254 | link-local",
      "fe80::1 | link-local",
      "100.64.0.1 | carrier-grade NAT",
      "100.100.100.200 | carrier-grade NAT",
      "0.0.0.0 | 'this network'",
      "0.1.2.3 | 'this network'",
      ":: | unspecified",
      "224.0.0.1 | multicast",
      "239.255.255.250 | multicast",
      "ff02::1 | multicast",
      "255.255.255.255 | broadcast",
      "240.0.0.1 | reserved",
      "198.18.0.1 | benchmarking",
      "192.0.0.8 | IETF protocol assignments",
      "192.0.2.10 | documentation",
      "198.51.100.7 | documentation",
      "203.0.113.99 | documentation",
      "2001:db8::1 | documentation",
      "fc00::1 | unique local",
      "fd00:ec2::254 | unique local",
      "fec0::1 | site-local",
      "64:ff9b::a00:1 | NAT64 form of private network",
      "64:ff9b::7f00:1 | NAT64 form of loopback",
      "64:ff9b::a9fe:a9fe | NAT64 form of link-local",
      "64:ff9b:1::1 | local-use NAT64",
      "2002:7f00:1::1 | 6to4 form of loopback",
      "2002:a00:1::1 | 6to4 form of private network",
      "2001:0:4136:e378:8000:63bf:3fff:fdd2 | Teredo",
      "::7f00:1 | IPv4-compatible"})
  void should_refuse_every_special_address_class_by_default(String address, String expectedClass) {
    Optional<String> refusal = DEFAULTS.refuse("target.example", ip(address), EgressNarrowing.NONE);

    assertThat(refusal).isPresent();
    assertThat(refusal.get()).contains(expectedClass).contains("egress.allow");
  }

  @Test
  void should_refuse_an_ipv4_mapped_ipv6_address_as_the_address_it_carries() throws Exception {
    byte[] mapped = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, (byte) 0xff, (byte) 0xff, (byte) 169, (byte) 254, (byte) 169, (byte) 254};
    InetAddress address = Inet6Address.getByAddress(null, mapped, -1);

    assertThat(DEFAULTS.refuse("metadata", address, EgressNarrowing.NONE)).get().asString().contains("link-local");
  }

  @Test
  void should_allow_a_public_address_by_default() {
    assertThat(DEFAULTS.refuse("example.com", ip("93.184.216.34"), EgressNarrowing.NONE)).isEmpty();
    assertThat(DEFAULTS.refuse("example.com", ip("2606:2800:220:1:248:1893:25c8:1946"), EgressNarrowing.NONE)).isEmpty();
    assertThat(DEFAULTS.refuse("nat64.example", ip("64:ff9b::5db8:d822"), EgressNarrowing.NONE)).isEmpty();
  }

  @Test
  void should_allow_a_special_address_that_a_worker_allow_cidr_names() {
    EgressPolicy policy = EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true);

    assertThat(policy.refuse("127.0.0.1", ip("127.0.0.1"), EgressNarrowing.NONE)).isEmpty();
    assertThat(policy.refuse("127.0.0.2", ip("127.0.0.2"), EgressNarrowing.NONE)).isPresent();
  }

  @Test
  void should_allow_a_special_address_behind_a_host_the_worker_allows_by_name() {
    EgressPolicy policy = EgressPolicy.of(List.of("ollama.internal"), List.of(), true);

    assertThat(policy.refuse("ollama.internal", ip("10.0.0.5"), EgressNarrowing.NONE)).isEmpty();
    assertThat(policy.refuse("other.internal", ip("10.0.0.5"), EgressNarrowing.NONE)).isPresent();
  }

  @Test
  void should_refuse_what_a_deny_entry_matches_even_when_allow_names_it() {
    EgressPolicy policy = EgressPolicy.of(List.of("10.0.0.0/8"), List.of("10.0.0.9/32", "*.corp.example"), true);

    assertThat(policy.refuse("a", ip("10.0.0.9"), EgressNarrowing.NONE)).get().asString().contains("egress.deny");
    assertThat(policy.refuse("wiki.corp.example", ip("93.184.216.34"), EgressNarrowing.NONE)).isPresent();
    assertThat(policy.refuseHost("wiki.corp.example", EgressNarrowing.NONE)).isPresent();
  }

  @Test
  void should_refuse_a_host_the_worker_allows_when_the_definition_narrowing_does_not_name_it() {
    EgressPolicy policy = EgressPolicy.of(List.of("127.0.0.1/32"), List.of(), true);
    EgressNarrowing narrowing = EgressNarrowing.of(List.of("api.github.com"));

    assertThat(policy.refuse("127.0.0.1", ip("127.0.0.1"), narrowing)).get().asString()
        .contains("not in the definition's egress.allow");
    assertThat(policy.refuseHost("example.com", narrowing)).isPresent();
    assertThat(policy.refuseHost("api.github.com", narrowing)).isEmpty();
  }

  @Test
  void should_not_let_a_definition_narrowing_widen_into_a_special_range() {
    EgressNarrowing narrowing = EgressNarrowing.of(List.of("10.0.0.0/8"));

    assertThat(DEFAULTS.refuse("internal", ip("10.0.0.5"), narrowing)).get().asString().contains("RFC 1918");
  }

  @Test
  void should_refuse_public_addresses_not_named_by_allow_when_public_internet_is_off() {
    EgressPolicy policy = EgressPolicy.of(List.of("*.github.com"), List.of(), false);

    assertThat(policy.refuse("example.com", ip("93.184.216.34"), EgressNarrowing.NONE)).get().asString()
        .contains("egress.publicInternet");
    assertThat(policy.refuse("api.github.com", ip("140.82.112.6"), EgressNarrowing.NONE)).isEmpty();
  }
}
