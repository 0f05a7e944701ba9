package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** The agentflow command as a person uses it: what it prints and the exit code it returns. */
class CommandLineTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();

  @TempDir Path tempDir;

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int agentflow(String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private Path write(String name, String text) throws IOException {
    Path file = tempDir.resolve(name);
    Files.writeString(file, text);
    return file;
  }

  @Test
  void validate_accepts_every_example_definition_named_by_the_readmes_glob() throws IOException {
    String[] files;
    try (Stream<Path> list = Files.list(DEFINITIONS)) {
      // `./agentflow validate definitions/*.yaml`: definitions and their offline scripts
      files = list.map(Path::toString).filter(f -> f.endsWith(".yaml")).sorted().toArray(String[]::new);
    }
    String[] args = new String[files.length + 1];
    args[0] = "validate";
    System.arraycopy(files, 0, args, 1, files.length);

    assertThat(agentflow(args)).as(out.toString()).isZero();
    assertThat(out.toString()).contains("✓").doesNotContain("✘");
  }

  @Test
  void validate_points_at_the_line_and_column_of_each_problem_and_exits_1() throws IOException {
    Path broken = write("broken.yaml", """
        apiVersion: agentflow/v1
        name: broken
        version: 1
        start: first
        nodes:
          first: {kind: tool, tool: echo, next: nowhere}
          done: {kind: end}
        """);

    assertThat(agentflow("validate", broken.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘ " + broken).contains(broken + ":6:");
    assertThat(out.toString()).contains("nowhere");
  }

  @Test
  void run_prints_the_trace_and_the_output_and_exits_0() {
    int code = agentflow("run", DEFINITIONS.resolve("tool-agent.yaml").toString(), "--offline",
        "--input", "{\"question\": \"What is (17 + 25) * 3?\"}", "--blob-dir", tempDir.resolve("blobs").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("1. agent").contains("llm").contains("2. done").contains("126");
  }

  @Test
  void run_says_why_and_where_a_failed_run_failed_and_exits_1() throws IOException {
    Path failing = write("failing.yaml", """
        apiVersion: agentflow/v1
        name: failing
        version: 1
        start: first
        nodes:
          first: {kind: tool, tool: echo, arguments: {a: 1}, next: done}
          done: {kind: end, output: "nodes.first.output.a.b.c"}
        """);

    int code = agentflow("run", failing.toString(), "--offline", "--blob-dir", tempDir.resolve("blobs").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("run failed").contains("ExpressionError").contains("node 'done'");
  }

  @Test
  void run_rejects_an_input_that_does_not_match_the_input_schema() {
    int code = agentflow("run", DEFINITIONS.resolve("tool-agent.yaml").toString(), "--offline", "--input", "{\"question\": 7}");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("does not match the input schema").contains("/question");
  }

  @Test
  void run_rejects_input_that_is_not_json_and_exits_2() {
    int code = agentflow("run", DEFINITIONS.resolve("tool-agent.yaml").toString(), "--input", "{question: oops");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("--input").contains("not valid JSON");
  }

  @Test
  void run_reports_a_missing_definition_file_and_exits_2() {
    int code = agentflow("run", tempDir.resolve("nope.yaml").toString());

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("not found: ").contains("nope.yaml");
  }

  @Test
  void run_reports_an_invalid_definition_with_its_location_and_exits_1() throws IOException {
    Path broken = write("typo.yaml", """
        apiVersion: agentflow/v1
        name: typo
        version: 1
        start: done
        nodes:
          done: {kind: end, outptu: "1"}
        """);

    int code = agentflow("run", broken.toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains(broken + ":6:").contains("outptu");
  }

  private static final String NEEDS_TOKEN = """
      apiVersion: agentflow/v1
      name: needs-token
      version: 1
      start: fetch
      nodes:
        fetch:
          kind: tool
          tool: http_get
          arguments: {url: "https://api.github.com/user", headers: {Authorization: {secret: "env:DEPLOY_TOKEN"}}}
          next: done
        done: {kind: end}
      """;

  @Test
  void validate_with_a_worker_config_reports_a_secret_the_worker_does_not_grant_and_exits_1() throws IOException {
    Path definition = write("needs-token.yaml", NEEDS_TOKEN);
    Path config = write("agentflow.yaml", "secrets: {OTHER: {tools: [http_get]}}\n");

    assertThat(agentflow("validate", "--config", config.toString(), definition.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘", "SecretNotAllowed", "DEPLOY_TOKEN", "secrets.DEPLOY_TOKEN.tools");
  }

  @Test
  void validate_with_a_worker_config_that_grants_the_secret_accepts_the_definition() throws IOException {
    Path definition = write("needs-token.yaml", NEEDS_TOKEN);
    Path config = write("agentflow.yaml", "secrets: {DEPLOY_TOKEN: {tools: [http_get], hosts: [api.github.com]}}\n");

    assertThat(agentflow("validate", "--config", config.toString(), definition.toString())).as(out.toString()).isZero();
  }

  @Test
  void validate_with_a_worker_config_whose_mcp_server_cannot_start_names_its_command_and_stderr_and_exits_1()
      throws IOException {
    Path definition = write("needs-token.yaml", NEEDS_TOKEN);
    Path config = write("agentflow.yaml", """
        mcp:
          files: {command: sh, args: [-c, "echo 'cannot open /srv/data' >&2; exit 2"]}
        """);

    assertThat(agentflow("validate", "--config", config.toString(), definition.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘", "MCP server 'files'", "`sh -c echo", "exited with code 2",
        "cannot open /srv/data");
  }

  @Test
  void run_reports_a_secret_the_worker_does_not_grant_before_submitting_the_run() throws IOException {
    Path definition = write("needs-token.yaml", NEEDS_TOKEN);

    assertThat(agentflow("run", definition.toString(), "--offline", "--blob-dir", tempDir.resolve("blobs").toString()))
        .isEqualTo(1);
    assertThat(err.toString()).contains("does not allow", "DEPLOY_TOKEN", "secrets.DEPLOY_TOKEN.tools");
    assertThat(out.toString()).doesNotContain("▶");
  }
}
