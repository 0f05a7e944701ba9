package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The rows of "bad input never hangs, crashes, or prints a stack trace": each mistake a careless
 * user makes gets one clear message saying what and where, exit 1 (2 for a wrong command line), and
 * nothing is started.
 */
class BadInputTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();
  private static final String TOOL_AGENT = DEFINITIONS.resolve("tool-agent.yaml").toString();
  private static final String APPROVAL_GATE = DEFINITIONS.resolve("approval-gate.yaml").toString();

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
    return Files.writeString(tempDir.resolve(name), text);
  }

  private String definition(String extra) {
    return "apiVersion: agentflow/v1\nname: bad\nversion: 1\n" + extra + "start: done\nnodes:\n  done: {kind: end}\n";
  }

  @Test
  void should_reject_a_yaml_alias_at_its_position_instead_of_reading_its_name_as_text() throws IOException {
    Path file = write("alias.yaml", "apiVersion: agentflow/v1\nname: alias\nversion: 1\ndescription: &d hello\n"
        + "start: done\nnodes:\n  done: {kind: end, description: *d}\n");

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(file + ":4:14: YAML anchors (&d) are not supported")
        .contains(file + ":7:34: YAML aliases (*d) are not supported");
  }

  @Test
  void should_refuse_a_file_over_the_size_cap_quickly_naming_both_sizes() throws IOException {
    Path file = write("huge.yaml", definition("description: \"" + "x".repeat(2 * 1024 * 1024) + "\"\n"));

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘ " + file).contains("(" + Files.size(file) + " bytes), more than the limit of 1.0 MiB");
  }

  @Test
  void should_raise_the_size_cap_with_max_bytes() throws IOException {
    Path file = write("big.yaml", definition("description: \"" + "x".repeat(1024 * 1024) + "\"\n"));

    assertThat(agentflow("validate", "--max-bytes", "2000000", file.toString())).as(out.toString()).isZero();
  }

  @Test
  void should_report_deeply_nested_parentheses_at_their_position_and_go_on_with_the_next_file() throws IOException {
    Path deep = write("deep.yaml", definition("").replace("{kind: end}",
        "{kind: end, output: \"" + "(".repeat(1200) + "1" + ")".repeat(1200) + "\"}"));
    Path next = write("next.yaml", definition(""));

    assertThat(agentflow("validate", deep.toString(), next.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(deep + ":6:62: nodes.done.output is not a valid expression: line 1, column 33: "
        + "brackets nested more than 32 levels deep").contains("✓ " + next);
  }

  @Test
  void should_report_a_deeply_nested_input_schema_at_its_position() throws IOException {
    String schema = "{type: object, properties: {a: ".repeat(450) + "{type: string}" + "}}".repeat(450);
    Path file = write("schema.yaml", definition("input: " + schema + "\n"));

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).containsPattern(file + ":4:\\d+: nested more than 64 levels deep");
  }

  @Test
  void should_report_ten_thousand_levels_of_nesting_with_a_line_and_column() throws IOException {
    Path file = write("nest.json", "{\"input\": " + "[".repeat(10_000) + "]".repeat(10_000) + "}");

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(file + ":1:74: nested more than 64 levels deep");
  }

  @Test
  void should_report_a_latin1_file_at_its_first_bad_byte() throws IOException {
    Path file = tempDir.resolve("latin1.yaml");
    Files.write(file, definition("description: Caf\u00e9\n").getBytes(StandardCharsets.ISO_8859_1));

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(file + ":4:17: the file is not UTF-8: byte 0xE9 at line 4, column 17 (byte offset 62)");
  }

  @Test
  void should_report_a_utf16_file_as_utf16() throws IOException {
    Path file = tempDir.resolve("utf16.yaml");
    Files.write(file, definition("").getBytes(StandardCharsets.UTF_16));

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(file + ":1:1: the file is UTF-16");
  }

  @Test
  void should_report_an_unclosed_quote_where_it_opens() throws IOException {
    Path file = write("quote.yaml", definition("description: \"no end\n"));

    assertThat(agentflow("validate", file.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(file + ":4:14: YAML syntax error: while scanning a quoted scalar that starts here");
  }

  @Test
  void should_validate_the_definitions_directory_with_every_file_as_its_kind() {
    assertThat(agentflow("validate", DEFINITIONS.toString())).as(out.toString()).isZero();
    assertThat(out.toString())
        .contains("✓ " + DEFINITIONS.resolve("map-reduce-summarizer.offline.yaml") + " (offline script for map-reduce-summarizer, 2 nodes)")
        .contains("✓ " + DEFINITIONS.resolve("tool-agent.input.json") + " (input of tool-agent)")
        .contains("✓ " + DEFINITIONS.resolve("tool-agent.expected.json") + " (JSON)")
        .contains("✓ " + DEFINITIONS.resolve("approval-gate.signals.json") + " (1 event)")
        .doesNotContain("✘").doesNotContain("pom.xml");
  }

  @Test
  void should_report_a_script_node_missing_from_its_graph_and_an_input_that_fails_the_schema() throws IOException {
    Files.copy(DEFINITIONS.resolve("tool-agent.yaml"), tempDir.resolve("tool-agent.yaml"));
    Path script = write("tool-agent.offline.yaml", "replies:\n  agnet: [{content: hi}]\n");
    Path input = write("tool-agent.input.json", "{\n  \"question\": 42\n}\n");

    assertThat(agentflow("validate", tempDir.toString())).isEqualTo(1);
    assertThat(out.toString()).contains(script + ":2:3: 'agnet' is not a node that calls a model in graph 'tool-agent'")
        .contains(input + ":2:15: expected string, got integer (at /question)")
        .contains("✓ " + tempDir.resolve("tool-agent.yaml"));
  }

  @Test
  void should_refuse_a_run_input_over_temporals_payload_limit_before_starting_anything() throws IOException {
    Path big = write("5mb.json", "{\"question\": \"" + "x".repeat(5 * 1024 * 1024) + "\"}");

    int code = agentflow("run", TOOL_AGENT, "--offline", "--input", "@" + big, "--blob-dir", tempDir.resolve("blobs").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("the run was not started: its start request is 5.0 MiB (the input 5.0 MiB")
        .contains("more than the 2.0 MiB Temporal accepts in one payload").contains("by reference");
    assertThat(out.toString()).doesNotContain("▶");
  }

  @Test
  void should_name_the_address_it_cannot_reach() {
    int code = agentflow("run", TOOL_AGENT, "--address", "127.0.0.1:1", "--offline", "--input", "{\"question\": \"q\"}");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("✘ cannot reach Temporal at 127.0.0.1:1").doesNotContain("\tat ");
  }

  @Test
  void should_say_not_found_for_a_missing_config_or_offline_script_and_exit_2() {
    assertThat(agentflow("run", TOOL_AGENT, "--config", "missing.yaml")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --config: not found: missing.yaml");

    assertThat(agentflow("run", TOOL_AGENT, "--offline-script", "missing")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --offline-script: not found: missing");
  }

  @Test
  void should_refuse_a_blob_dir_that_is_a_file_and_an_empty_workflow_id_up_front() throws IOException {
    Path file = write("not-a-dir", "x");

    assertThat(agentflow("run", TOOL_AGENT, "--blob-dir", file.toString())).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --blob-dir: " + file + " is a file, not a directory");

    assertThat(agentflow("run", TOOL_AGENT, "--workflow-id", "")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --workflow-id is empty");
  }

  @Test
  void should_parse_input_strictly_trailing_data_empty_text_and_a_missing_file() {
    assertThat(agentflow("run", TOOL_AGENT, "--input", "{\"question\": \"x\"} trailing")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --input is not valid JSON:").contains("<input>:1:19:");

    assertThat(agentflow("run", TOOL_AGENT, "--input", "")).isEqualTo(2);
    assertThat(err.toString()).contains("<input>:1:1: empty: expected a JSON value");

    assertThat(agentflow("run", TOOL_AGENT, "--input", "@missing.json")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --input: not found: missing.json");
  }

  @Test
  void should_refuse_a_send_payload_the_wait_rejects_before_starting_the_run() {
    int code = agentflow("run", APPROVAL_GATE, "--offline", "--input", "{\"request\": \"r\"}",
        "--send", "approve={\"approved\": \"yes\"}");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("--send approve: the payload does not match")
        .contains("<send approve>: expected boolean, got string (at /approved)");
    assertThat(out.toString()).doesNotContain("▶");
  }

  @Test
  void should_refuse_a_send_event_the_graph_never_waits_for_with_a_suggestion() {
    int code = agentflow("run", APPROVAL_GATE, "--offline", "--input", "{\"request\": \"r\"}",
        "--send", "aprove={\"approved\": true}");

    assertThat(code).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --send aprove: the graph waits for no event 'aprove' (did you mean 'approve'?)");
  }

  @Test
  void should_print_help_for_every_subcommand() {
    for (String command : new String[] {"run", "validate", "worker", "signal"}) {
      StringWriter help = new StringWriter();
      CommandLine commandLine = AgentflowCommand.commandLine();
      commandLine.setOut(new PrintWriter(help, true));
      commandLine.setErr(new PrintWriter(err, true));

      assertThat(commandLine.execute(command, "--help")).as(command).isZero();
      assertThat(help.toString()).as(command).contains("Usage: agentflow " + command);
    }
  }

  @Test
  void should_show_a_failed_run_as_the_failure_line_and_its_cause_only() throws IOException {
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
    assertThat(err.toString().lines()).hasSize(2);
    assertThat(err.toString()).startsWith("✘ run failed in node 'done':\n  [ExpressionError]");
  }
}
