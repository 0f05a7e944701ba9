package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agentflow process as a terminal shows it: a failed run is its {@code ✘} line, the cause and
 * where the log is; the SDKs' warnings and stack traces are in that log file, not on the screen.
 */
class TerminalOutputTest {

  @TempDir Path tempDir;

  @Test
  void should_keep_sdk_warnings_in_the_log_file_and_print_the_failure_in_three_lines() throws Exception {
    Path failing = Files.writeString(tempDir.resolve("failing.yaml"), """
        apiVersion: agentflow/v1
        name: failing
        version: 1
        start: first
        nodes:
          first: {kind: tool, tool: echo, arguments: {a: 1}, next: done}
          done: {kind: end, output: "nodes.first.output.a.b.c"}
        """);
    Path home = tempDir.resolve("home");

    Result result = agentflow(home, "run", failing.toString(), "--offline", "--blob-dir", tempDir.resolve("blobs").toString());

    assertThat(result.code()).isEqualTo(1);
    assertThat(result.err()).hasSize(3);
    assertThat(result.err().get(0)).isEqualTo("✘ run failed in node 'done':");
    assertThat(result.err().get(1)).startsWith("  [ExpressionError] node 'done'");
    assertThat(result.err().get(2)).startsWith("  (log: " + home.resolve("logs"));
    Path log = Path.of(result.err().get(2).substring("  (log: ".length(), result.err().get(2).length() - 1));
    assertThat(Files.readString(log)).contains("WARN").contains("ExpressionError");
  }

  @Test
  void should_leave_no_log_file_behind_after_a_command_that_succeeded_quietly() throws Exception {
    Path home = tempDir.resolve("home");
    Path definitions = Path.of("..", "definitions").toAbsolutePath().normalize();

    Result result = agentflow(home, "validate", definitions.resolve("tool-agent.yaml").toString());

    assertThat(result.code()).isZero();
    assertThat(result.err()).isEmpty();
    try (var logs = Files.list(home.resolve("logs"))) {
      assertThat(logs.toList()).isEmpty();
    }
  }

  private record Result(int code, List<String> err) {}

  private static Result agentflow(Path home, String... args) throws IOException, InterruptedException {
    List<String> command = new java.util.ArrayList<>(List.of(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-Dpolyglot.engine.WarnInterpreterOnly=false",
        "-cp", System.getProperty("java.class.path"), AgentflowCommand.class.getName()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("AGENTFLOW_HOME", home.toString());
    builder.environment().remove("OPENAI_API_KEY");
    Path stderr = Files.createTempFile("agentflow", ".err");
    builder.redirectError(stderr.toFile()).redirectOutput(ProcessBuilder.Redirect.DISCARD);
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new AssertionError("agentflow did not finish in 120 s");
    }
    List<String> err = Files.readAllLines(stderr, StandardCharsets.UTF_8).stream()
        .filter(line -> !line.startsWith("·")).toList();
    Files.delete(stderr);
    return new Result(process.exitValue(), err);
  }
}
