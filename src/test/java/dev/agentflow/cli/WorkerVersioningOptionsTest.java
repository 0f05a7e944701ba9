package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The worker's Worker Versioning options are checked before it connects anywhere. */
class WorkerVersioningOptionsTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int agentflow(String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void should_refuse_a_build_id_without_versioning_as_a_usage_error() {
    assertThat(agentflow("worker", "--address", "127.0.0.1:1", "--build-id", "b1")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --build-id needs --versioning");
  }

  @Test
  void should_refuse_a_deployment_name_with_a_dot() {
    assertThat(agentflow("worker", "--address", "127.0.0.1:1", "--versioning", "--deployment-name", "a.b")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ --versioning: a deployment name must not be empty or contain '.'");
  }
}
