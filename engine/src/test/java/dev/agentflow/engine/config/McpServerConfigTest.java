package dev.agentflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class McpServerConfigTest {

  @Test
  void should_read_stdio_and_http_servers_with_their_timeouts_retries_limits_and_side_effects() {
    AgentflowConfig config = ConfigLoader.fromYaml("""
        mcp:
          files:
            command: npx
            args: [-y, "@modelcontextprotocol/server-filesystem@2026.8.31", /data]
            env: {GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GITHUB_TOKEN}"}
            timeout: 20s
            startupTimeout: 5s
            retry: {initialInterval: 500ms, maxAttempts: 3}
            maxConcurrent: 2
            sideEffects: [write_file]
          remote:
            url: https://mcp.example.com/mcp
            headers: {Authorization: "Bearer ${env:MCP_TOKEN}"}
        """, "agentflow.yaml", Map.of());

    McpServerConfig files = config.mcp().get("files");
    assertThat(files.isStdio()).isTrue();
    assertThat(files.commandLine()).containsExactly("npx", "-y", "@modelcontextprotocol/server-filesystem@2026.8.31", "/data");
    assertThat(files.callTimeout()).isEqualTo(Duration.ofSeconds(20));
    assertThat(files.handshakeTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(files.retrySpec().initialInterval()).isEqualTo(Duration.ofMillis(500));
    assertThat(files.retrySpec().maxAttempts()).isEqualTo(3);
    assertThat(files.retrySpec().backoff()).isEqualTo(2.0);
    assertThat(files.maxConcurrent()).isEqualTo(2);
    assertThat(files.sideEffects()).containsExactly("write_file");
    assertThat(files.secretNames()).containsExactly("GITHUB_TOKEN");
    McpServerConfig remote = config.mcp().get("remote");
    assertThat(remote.isStdio()).isFalse();
    assertThat(remote.maxConcurrent()).isEqualTo(McpServerConfig.DEFAULT_MAX_CONCURRENT);
    assertThat(remote.callTimeout()).isEqualTo(McpServerConfig.DEFAULT_TIMEOUT);
    assertThat(remote.secretNames()).containsExactly("MCP_TOKEN");
  }

  @Test
  void should_refuse_a_server_with_both_a_command_and_a_url_naming_where() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        mcp:
          files: {command: npx, url: "http://localhost:3001/mcp"}
        """, "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("agentflow.yaml")
        .hasMessageContaining("mcp.files")
        .hasMessageContaining("either command");
  }

  @Test
  void should_refuse_a_misspelt_setting_of_a_server() {
    assertThatThrownBy(() -> ConfigLoader.fromYaml("""
        mcp:
          files: {command: npx, timout: 5s}
        """, "agentflow.yaml", Map.of()))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("timout");
  }

  @Test
  void should_replace_env_references_with_the_workers_variables_and_name_a_missing_one() {
    assertThat(McpServerConfig.resolve("Bearer ${env:MCP_TOKEN}", Map.of("MCP_TOKEN", "canary-123")::get))
        .isEqualTo("Bearer canary-123");
    assertThatThrownBy(() -> McpServerConfig.resolve("${env:MISSING}", name -> null))
        .hasMessageContaining("${env:MISSING}");
  }

  @Test
  void should_refuse_a_server_name_that_cannot_be_part_of_a_task_queue_name() {
    assertThatThrownBy(() -> AgentflowConfig.defaults().withMcp(
        Map.of("Files Server", McpServerConfig.stdio("npx", List.of(), Map.of()))))
        .hasMessageContaining("Files Server");
  }
}
