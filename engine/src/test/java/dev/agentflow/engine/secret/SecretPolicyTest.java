package dev.agentflow.engine.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.engine.config.SecretGrant;
import dev.agentflow.tools.ToolException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SecretPolicyTest {

  private static final String VALUE = "canary-value-9f8e7d";

  private final SecretPolicy policy = SecretPolicy.of(Map.of(
      "GITHUB_TOKEN", new SecretGrant(List.of("http_get"), List.of(), List.of("api.github.com", "*.githubusercontent.com")),
      "OPEN_TOKEN", new SecretGrant(List.of("http_get"), List.of(), List.of()),
      "AZURE_KEY", new SecretGrant(List.of(), List.of("openai"), List.of("*.openai.azure.com"))));
  private final SecretResolver environment = new SecretResolver(Map.of(
      "GITHUB_TOKEN", VALUE, "OPEN_TOKEN", VALUE, "OPENAI_API_KEY", VALUE, "AWS_SECRET_ACCESS_KEY", VALUE));

  @Test
  void should_grant_openai_api_key_to_provider_openai_with_no_config() {
    assertThat(SecretPolicy.defaults().refuseForProvider("env:OPENAI_API_KEY", "openai")).isEmpty();
    assertThat(SecretPolicy.defaults().refuseForTool("env:OPENAI_API_KEY", "http_get")).isPresent();
  }

  @Test
  void should_name_the_variable_and_the_config_key_when_a_provider_may_not_read_it() {
    assertThat(policy.refuseForProvider("env:AWS_SECRET_ACCESS_KEY", "openai")).get().asString()
        .contains("AWS_SECRET_ACCESS_KEY", "secrets.AWS_SECRET_ACCESS_KEY.providers");
  }

  @Test
  void should_send_a_provider_key_to_a_definition_endpoint_only_when_its_hosts_name_it() {
    assertThat(policy.refuseDefinitionEndpoint("env:AZURE_KEY", "team.openai.azure.com")).isEmpty();
    assertThat(policy.refuseDefinitionEndpoint("env:AZURE_KEY", "attacker.example")).get().asString()
        .contains("secrets.AZURE_KEY.hosts");
    assertThat(policy.refuseDefinitionEndpoint("env:OPENAI_API_KEY", "attacker.example")).isPresent();
  }

  @Test
  void should_give_a_tool_only_the_secrets_granted_to_it_and_only_for_the_named_hosts() throws Exception {
    ToolSecrets secrets = new ToolSecrets(environment, policy, "http_get", false);

    assertThat(secrets.resolveFor("env:GITHUB_TOKEN", "api.github.com")).contains(VALUE);
    assertThat(secrets.resolveFor("env:GITHUB_TOKEN", "raw.githubusercontent.com")).contains(VALUE);
    assertThat(secrets.resolveFor("env:OPEN_TOKEN", "anything.example")).contains(VALUE);
    assertThatThrownBy(() -> secrets.resolveFor("env:GITHUB_TOKEN", "evil.example"))
        .isInstanceOf(ToolException.class).hasMessageContaining("secrets.GITHUB_TOKEN.hosts").hasMessageNotContaining(VALUE);
    assertThatThrownBy(() -> secrets.resolve("env:GITHUB_TOKEN")).hasMessageContaining("did not say where");
    assertThatThrownBy(() -> secrets.resolveFor("env:AWS_SECRET_ACCESS_KEY", "api.github.com"))
        .satisfies(e -> assertThat(((ToolException) e).type()).isEqualTo("SecretNotAllowed"))
        .hasMessageContaining("secrets.AWS_SECRET_ACCESS_KEY.tools");
  }

  @Test
  void should_give_no_secret_at_all_to_arguments_a_model_wrote() {
    ToolSecrets secrets = new ToolSecrets(environment, policy, "http_get", true);

    assertThatThrownBy(() -> secrets.resolveFor("env:OPEN_TOKEN", "anything.example"))
        .satisfies(e -> assertThat(((ToolException) e).type()).isEqualTo("SecretNotAllowed"))
        .hasMessageContaining("written by a model");
    assertThat(secrets.handedOut()).isEmpty();
  }

  @Test
  void should_never_repeat_a_value_pasted_in_place_of_a_reference() {
    assertThatThrownBy(() -> policy.refuseForTool(VALUE, "http_get")).hasMessageNotContaining(VALUE);
  }
}
