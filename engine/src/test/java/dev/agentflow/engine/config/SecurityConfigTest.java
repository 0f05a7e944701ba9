package dev.agentflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.dsl.egress.IpLiterals;
import dev.agentflow.tools.egress.EgressNarrowing;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The {@code egress}, {@code secrets} and {@code providers} sections of the engine config. */
class SecurityConfigTest {

  @Test
  void should_refuse_loopback_and_allow_public_addresses_with_no_file() {
    AgentflowConfig config = ConfigLoader.fromYaml("", "agentflow.yaml", Map.of());

    assertThat(config.egress().toPolicy().refuse("x", IpLiterals.parse("127.0.0.1").orElseThrow(), EgressNarrowing.NONE)).isPresent();
    assertThat(config.egress().toPolicy().refuse("x", IpLiterals.parse("93.184.216.34").orElseThrow(), EgressNarrowing.NONE)).isEmpty();
    assertThat(config.secrets()).isEmpty();
  }

  @Test
  void should_read_egress_secrets_and_provider_endpoints_from_the_file() {
    AgentflowConfig config = ConfigLoader.fromYaml("""
        egress: {allow: [10.0.0.0/8, "*.internal.example"], deny: [10.9.0.0/16], publicInternet: false}
        secrets:
          GITHUB_TOKEN: {tools: [http_get], hosts: [api.github.com]}
          MY_KEY: {providers: [openai]}
        providers: {openai: {baseUrl: "http://localhost:11434/v1"}}
        """, "agentflow.yaml", Map.of());

    assertThat(config.egress()).isEqualTo(new EgressConfig(List.of("10.0.0.0/8", "*.internal.example"), List.of("10.9.0.0/16"), false));
    assertThat(config.secrets().get("GITHUB_TOKEN")).isEqualTo(new SecretGrant(List.of("http_get"), List.of(), List.of("api.github.com")));
    assertThat(config.secrets().get("MY_KEY").providers()).containsExactly("openai");
    assertThat(config.providers().get("openai").baseUrl()).isEqualTo("http://localhost:11434/v1");
  }

  @Test
  void should_let_agentflow_egress_allow_replace_the_allow_list() {
    AgentflowConfig config = ConfigLoader.fromYaml("egress: {allow: [10.0.0.0/8]}", "agentflow.yaml",
        Map.of("AGENTFLOW_EGRESS_ALLOW", "127.0.0.1/32, ::1/128"));

    assertThat(config.egress().allow()).containsExactly("127.0.0.1/32", "::1/128");
    assertThat(config.egress().toPolicy().refuse("x", IpLiterals.parse("127.0.0.1").orElseThrow(), EgressNarrowing.NONE)).isEmpty();
  }

  @Test
  void should_let_the_environment_set_the_operator_endpoint() {
    AgentflowConfig config = ConfigLoader.fromYaml("", "agentflow.yaml",
        Map.of("AGENTFLOW_PROVIDERS_OPENAI_BASE_URL", "http://127.0.0.1:8000/v1"));

    assertThat(config.providers().get("openai").baseUrl()).isEqualTo("http://127.0.0.1:8000/v1");
  }

  @Test
  void should_name_the_entry_when_an_egress_cidr_is_invalid() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("egress: {allow: [127.0.0.1/32, 10.0.0.0/40]}", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agentflow.yaml")
        .hasMessageContaining("egress.allow[1]")
        .hasMessageContaining("prefix length");
  }

  @Test
  void should_name_the_secret_when_its_host_entry_is_invalid() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("secrets: {TOKEN: {tools: [http_get], hosts: ['http://x']}}",
        "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("TOKEN")
        .hasMessageContaining("hosts[0]");
  }

  @Test
  void should_refuse_a_secret_name_that_is_not_an_environment_variable() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("secrets: {'env:TOKEN': {tools: [http_get]}}", "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not an environment variable name");
  }
}
