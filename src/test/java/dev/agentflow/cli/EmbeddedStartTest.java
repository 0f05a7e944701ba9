package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentflow run} starts the embedded server and the warm-up while it checks the definition:
 * a check that fails still wins over the server, closes it, and a port that is taken is still
 * reported as before.
 */
class EmbeddedStartTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();

  @TempDir Path tempDir;

  private static int agentflow(StringWriter out, StringWriter err, String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return socket.getLocalPort();
    }
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException taken) {
      return false;
    }
  }

  @Test
  void should_report_bad_input_and_free_the_port_of_the_server_it_had_started() throws Exception {
    int port = freePort();
    StringWriter err = new StringWriter();

    int code = agentflow(new StringWriter(), err, "run", DEFINITIONS.resolve("tool-agent.yaml").toString(),
        "--input", "{\"question\": 42}", "--port", String.valueOf(port), "--blob-dir", tempDir.resolve("b").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("the input does not match the input schema");
    Instant deadline = Instant.now().plus(Duration.ofSeconds(20));
    while (!bindable(port) && Instant.now().isBefore(deadline)) {
      Thread.sleep(50);
    }
    assertThat(bindable(port)).as("port %d freed after the failed check", port).isTrue();
  }

  @Test
  void should_say_which_port_is_taken_after_the_definition_passed_its_checks() throws Exception {
    try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
      StringWriter err = new StringWriter();

      int code = agentflow(new StringWriter(), err, "run", DEFINITIONS.resolve("tool-agent.yaml").toString(),
          "--input", "{\"question\": \"2+2?\"}", "--port", String.valueOf(taken.getLocalPort()),
          "--blob-dir", tempDir.resolve("b").toString());

      assertThat(code).isEqualTo(1);
      assertThat(err.toString()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
    }
  }

  @Test
  void should_run_the_example_agent_on_the_server_started_while_it_checked() {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();

    int code = agentflow(out, err, "run", DEFINITIONS.resolve("tool-agent.yaml").toString(), "--offline",
        "--input", "{\"question\": \"What is (17 + 25) * 3?\"}", "--blob-dir", tempDir.resolve("b").toString());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("↳ tool calculator").contains("(17 + 25) * 3 = 126.");
  }
}
