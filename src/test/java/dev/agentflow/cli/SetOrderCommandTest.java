package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentflow run} submits the canonical JSON of a definition, and {@code set:} still runs in
 * the order it is written: {@code first} reads {@code raw}, assigned just before it.
 */
class SetOrderCommandTest {

  @TempDir Path tempDir;

  @Test
  void should_assign_set_in_source_order_when_run_from_the_cli() throws Exception {
    Path definition = tempDir.resolve("set-order.yaml");
    Files.writeString(definition, """
        apiVersion: agentflow/v1
        name: set-order
        version: 1
        start: fetch
        nodes:
          fetch:
            kind: tool
            tool: echo
            arguments: {items: ["a", "b"]}
            set:
              raw: "output.items"
              first: "vars.raw[0]"
            next: done
          done: {kind: end, output: "({first: vars.first})"}
        """);
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));

    int code = commandLine.execute("run", definition.toString(), "--offline", "--input", "{}",
        "--blob-dir", tempDir.resolve("blobs").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("✓ output:").containsPattern("\"first\"\\s*:\\s*\"a\"");
  }
}
