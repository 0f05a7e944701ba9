package dev.agentflow.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.engine.config.McpServerConfig;
import dev.agentflow.tools.egress.Egress;
import dev.agentflow.tools.egress.EgressPolicy;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A worker's MCP servers that cannot start are start-up errors saying which command and why; these
 * need no MCP server (a shell stands in for a broken one) and send nothing over the network.
 */
class McpServersStartTest {

  private static final Egress EGRESS = new Egress(EgressPolicy.defaults());

  private static McpServers start(McpServerConfig server, Map<String, String> environment) {
    return McpServers.start(Map.of("broken", server), environment::get, EGRESS);
  }

  @Test
  void should_name_the_command_its_exit_code_and_its_stderr_tail_when_a_server_exits_at_start() {
    McpServerConfig server = McpServerConfig.stdio("sh", List.of("-c", "echo starting >&2; echo 'boom: no config file' >&2; exit 3"), Map.of());

    assertThatThrownBy(() -> start(server, Map.of("PATH", System.getenv("PATH"))))
        .isInstanceOf(McpServers.McpStartupException.class)
        .hasMessageContaining("MCP server 'broken'")
        .hasMessageContaining("`sh -c echo starting >&2;")
        .hasMessageContaining("exited with code 3")
        .hasMessageContaining("boom: no config file");
  }

  @Test
  void should_say_the_command_cannot_be_started_when_it_does_not_exist() {
    McpServerConfig server = McpServerConfig.stdio("/nonexistent/mcp-server-xyz", List.of("--stdio"), Map.of());

    assertThatThrownBy(() -> start(server, Map.of()))
        .isInstanceOf(McpServers.McpStartupException.class)
        .hasMessageContaining("`/nonexistent/mcp-server-xyz --stdio`")
        .hasMessageContaining("cannot start it");
  }

  @Test
  void should_report_a_stdio_server_that_never_answers_the_handshake_and_stop_it() {
    McpServerConfig server = McpServerConfig.stdio("sh", List.of("-c", "echo listening >&2; exec sleep 60"), Map.of())
        .withTimeouts(null, "1s");
    long started = System.nanoTime();

    assertThatThrownBy(() -> start(server, Map.of("PATH", System.getenv("PATH"))))
        .isInstanceOf(McpServers.McpStartupException.class)
        .hasMessageContaining("did not answer the initialize handshake within 1000 ms")
        .hasMessageContaining("listening");
    assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(20_000);
    assertThat(ProcessHandle.current().descendants().filter(p -> p.info().command().orElse("").endsWith("sleep")).toList())
        .as("the handshake-less server is stopped").isEmpty();
  }

  @Test
  void should_star_out_a_granted_secret_that_a_failing_server_prints() {
    McpServerConfig server = McpServerConfig.stdio("sh", List.of("-c", "echo \"token is $API_TOKEN\" >&2; exit 1"),
        Map.of("API_TOKEN", "${env:CANARY_TOKEN}"));

    assertThatThrownBy(() -> start(server, Map.of("PATH", System.getenv("PATH"), "CANARY_TOKEN", "canary-7f3a9")))
        .hasMessageContaining("token is ***")
        .satisfies(e -> assertThat(e.getMessage()).doesNotContain("canary-7f3a9"));
  }

  @Test
  void should_refuse_to_start_when_a_secret_the_server_is_granted_is_not_set() {
    McpServerConfig server = McpServerConfig.stdio("sh", List.of(), Map.of("API_TOKEN", "${env:MISSING_TOKEN}"));

    assertThatThrownBy(() -> start(server, Map.of()))
        .isInstanceOf(McpServers.McpStartupException.class)
        .hasMessageContaining("${env:MISSING_TOKEN}")
        .hasMessageContaining("not set");
  }

  @Test
  void should_give_a_stdio_server_only_the_base_variables_and_what_its_env_grants() {
    McpServerConfig server = McpServerConfig.stdio("server", List.of(), Map.of("GITHUB_PERSONAL_ACCESS_TOKEN", "${env:GITHUB_TOKEN}"));
    Map<String, String> worker = Map.of("PATH", "/usr/bin", "HOME", "/home/w", "GITHUB_TOKEN", "canary-gh",
        "OPENAI_API_KEY", "canary-openai", "AWS_SECRET_ACCESS_KEY", "canary-aws");

    Map<String, String> environment = McpServers.processEnvironment(server, worker::get);

    assertThat(environment).containsOnly(
        Map.entry("PATH", "/usr/bin"), Map.entry("HOME", "/home/w"), Map.entry("GITHUB_PERSONAL_ACCESS_TOKEN", "canary-gh"));
  }

  @Test
  void should_refuse_an_http_server_on_loopback_that_the_egress_policy_does_not_allow_before_connecting() {
    McpServerConfig server = McpServerConfig.http("http://127.0.0.1:9/mcp", Map.of());

    assertThatThrownBy(() -> start(server, Map.of()))
        .isInstanceOf(McpServers.McpStartupException.class)
        .hasMessageContaining("MCP server 'broken'")
        .hasMessageContaining("egress refused")
        .hasMessageContaining("127.0.0.1");
  }
}
