package dev.agentflow.dsl.egress;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HostRuleTest {

  private static InetAddress ip(String literal) {
    return IpLiterals.parse(literal).orElseThrow();
  }

  @Test
  void should_match_addresses_inside_a_cidr_only() {
    HostRule rule = HostRule.parse("10.1.0.0/16");

    assertThat(rule.matches("x", ip("10.1.200.3"))).isTrue();
    assertThat(rule.matches("x", ip("10.2.0.1"))).isFalse();
    assertThat(rule.matches("x", null)).isFalse();
  }

  @Test
  void should_read_a_bare_address_as_a_single_address_range() {
    HostRule rule = HostRule.parse("127.0.0.1");

    assertThat(rule.matches("a", ip("127.0.0.1"))).isTrue();
    assertThat(rule.matches("a", ip("127.0.0.2"))).isFalse();
  }

  @Test
  void should_match_ipv6_ranges() {
    HostRule rule = HostRule.parse("fd00::/8");

    assertThat(rule.matches("x", ip("fd00:ec2::254"))).isTrue();
    assertThat(rule.matches("x", ip("fe80::1"))).isFalse();
  }

  @Test
  void should_match_a_wildcard_pattern_below_the_domain_but_not_the_domain_itself() {
    HostRule rule = HostRule.parse("*.github.com");

    assertThat(rule.matches("api.github.com", null)).isTrue();
    assertThat(rule.matches("a.b.github.com", null)).isTrue();
    assertThat(rule.matches("github.com", null)).isFalse();
    assertThat(rule.matches("evilgithub.com", null)).isFalse();
    assertThat(rule.matches("api.github.com.evil.example", null)).isFalse();
  }

  @Test
  void should_match_an_exact_host_case_insensitively_and_ignore_a_trailing_dot() {
    HostRule rule = HostRule.parse("API.GitHub.com");

    assertThat(rule.matches("api.github.com.", null)).isTrue();
    assertThat(rule.matches("uploads.github.com", null)).isFalse();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "10.0.0.0/33", "10.0.0.0/x", "*", "exa mple.com", "http://a.com", "a..b", "127.1", "::1/129"})
  void should_refuse_an_entry_that_is_neither_a_cidr_nor_a_host_pattern(String entry) {
    assertThatThrownBy(() -> HostRule.parse(entry)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_know_when_a_range_or_pattern_lies_inside_another() {
    HostRule.Cidr narrow = (HostRule.Cidr) HostRule.parse("10.1.2.0/24");
    HostRule.Cidr wide = (HostRule.Cidr) HostRule.parse("10.0.0.0/8");
    HostRule.HostPattern api = (HostRule.HostPattern) HostRule.parse("api.github.com");
    HostRule.HostPattern any = (HostRule.HostPattern) HostRule.parse("*.github.com");

    assertThat(narrow.within(wide)).isTrue();
    assertThat(wide.within(narrow)).isFalse();
    assertThat(api.within(any)).isTrue();
    assertThat(any.within(api)).isFalse();
    assertThat(any.within(any)).isTrue();
  }
}
