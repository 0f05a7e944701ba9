package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.mcp.McpTestServers;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** {@code validate --config} and {@code run --config} with a real MCP server (the filesystem server). */
class McpCommandLineIT {

  @TempDir Path tempDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int agentflow(String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path config() throws IOException {
    Path root = Files.createDirectories(tempDir.resolve("root"));
    Files.writeString(root.resolve("hello.txt"), "hello from the files server");
    return Files.writeString(tempDir.resolve("agentflow.yaml"), """
        mcp:
          files:
            command: %s
            args: [%s]
        """.formatted(McpTestServers.executable(McpTestServers.FILESYSTEM), root));
  }

  private Path definition(String tool) throws IOException {
    return Files.writeString(tempDir.resolve("reader.yaml"), """
        apiVersion: agentflow/v1
        name: reader
        version: 1
        start: read
        nodes:
          read: {kind: tool, tool: %s, arguments: {path: hello.txt}, next: done}
          done: {kind: end, output: "nodes.read.output.content"}
        """.formatted(tool));
  }

  @Test
  void validate_with_a_worker_config_accepts_tools_its_mcp_servers_have() throws IOException {
    assertThat(agentflow("validate", "--config", config().toString(), definition("mcp.files/read_text_file").toString()))
        .as(out.toString()).isZero();
  }

  @Test
  void validate_with_a_worker_config_locates_a_tool_its_mcp_server_does_not_have_and_exits_1() throws IOException {
    Path definition = definition("mcp.files/read_txt_file");

    assertThat(agentflow("validate", "--config", config().toString(), definition.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘", definition + ":6:", "MCP server 'files' has no tool 'read_txt_file'",
        "did you mean 'read_text_file'");
  }

  @Test
  void run_with_a_worker_config_reads_a_file_through_the_mcp_server() throws IOException {
    int exit = agentflow("run", definition("mcp.files/read_text_file").toString(), "--config", config().toString());

    assertThat(exit).as(err.toString()).isZero();
    assertThat(out.toString()).contains("hello from the files server");
  }
}
