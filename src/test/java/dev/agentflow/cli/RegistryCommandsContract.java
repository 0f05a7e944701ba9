package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code deploy}, {@code versions}, {@code diff}, {@code alias} and {@code run NAME@ALIAS} as a
 * person types them, on one registry store: the directory one in {@code RegistryCommandsTest}, the
 * PostgreSQL one in {@code RegistryCommandsIT}. A subclass gives the options that select its store.
 */
abstract class RegistryCommandsContract {

  @TempDir Path tempDir;

  private StringWriter out = new StringWriter();
  private StringWriter err = new StringWriter();

  /** The options every command gets to use this test's store (e.g. --registry-dir, --config). */
  protected abstract List<String> storeOptions() throws Exception;

  protected int agentflow(String... args) throws Exception {
    out = new StringWriter();
    err = new StringWriter();
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    List<String> all = new ArrayList<>(List.of(args));
    all.addAll(storeOptions());
    return commandLine.execute(all.toArray(String[]::new));
  }

  protected Path greeter(int version, String greeting) throws IOException {
    Path file = tempDir.resolve("greeter-v" + version + "-" + greeting + ".yaml");
    Files.writeString(file, """
        apiVersion: agentflow/v1
        name: greeter
        version: %d
        input: {type: object, properties: {who: {type: string}}}
        start: done
        nodes:
          done: {kind: end, output: "({greeting: '%s', version: %d})"}
        """.formatted(version, greeting, version));
    return file;
  }

  @Test
  void deploy_prints_name_version_and_sha256_and_versions_lists_it() throws Exception {
    assertThat(agentflow("deploy", greeter(1, "hello").toString())).as(err.toString()).isZero();
    assertThat(out.toString()).matches("greeter 1 [0-9a-f]{64}\\n");
    String sha = out.toString().trim().split(" ")[2];

    assertThat(agentflow("versions", "greeter")).as(err.toString()).isZero();
    assertThat(out.toString()).contains("VERSION").containsPattern("(?m)^1\\s+" + sha + "\\s+\\d{4}-\\d\\d-\\d\\dT");
  }

  @Test
  void deploy_of_the_same_content_again_says_unchanged() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString());

    assertThat(agentflow("deploy", greeter(1, "hello").toString())).isZero();
    assertThat(out.toString()).contains("(already deployed, unchanged)");
  }

  @Test
  void deploy_refuses_a_changed_version_with_the_diff_and_stores_none_of_the_files() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString());

    int code = agentflow("deploy", greeter(2, "hi").toString(), greeter(1, "bonjour").toString());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("✘ version 1 of 'greeter' is already deployed with other content")
        .contains("-    output: \"({greeting: 'hello', version: 1})\"")
        .contains("+    output: \"({greeting: 'bonjour', version: 1})\"");
    agentflow("versions", "greeter");
    assertThat(out.toString()).containsPattern("(?m)^1\\s").doesNotContainPattern("(?m)^2\\s");
  }

  @Test
  void deploy_of_an_invalid_definition_stores_nothing_and_shows_every_problem() throws Exception {
    Path broken = tempDir.resolve("broken.yaml");
    Files.writeString(broken, """
        apiVersion: agentflow/v1
        name: greeter
        version: 3
        start: nowhere
        nodes:
          done: {kind: end, output: "1 +"}
        """);

    assertThat(agentflow("deploy", greeter(1, "hello").toString(), broken.toString())).isEqualTo(1);
    assertThat(out.toString()).contains("✘ " + broken).contains(broken + ":4:").contains(broken + ":6:")
        .contains("✘ nothing deployed: 1 of 2 file(s) have problems");

    assertThat(agentflow("versions", "greeter")).isEqualTo(1);
    assertThat(err.toString()).contains("✘ no graph 'greeter' in the registry");
  }

  @Test
  void alias_points_at_a_version_then_splits_and_versions_shows_the_shares() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString(), greeter(2, "hi").toString(), "--alias", "prod");
    assertThat(out.toString()).contains("greeter@prod → 1").contains("greeter@prod → 2 (was 1)");

    assertThat(agentflow("alias", "greeter", "prod=1:90,2:10")).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("✓ greeter@prod → 1:90,2:10 (was 2)\n");

    agentflow("versions", "greeter");
    assertThat(out.toString()).containsPattern("(?m)^1\\s.*prod \\(90%\\)$").containsPattern("(?m)^2\\s.*prod \\(10%\\)$");
  }

  @Test
  void alias_refuses_weights_that_do_not_add_up_and_versions_that_do_not_exist() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString());

    assertThat(agentflow("alias", "greeter", "prod=1:90,2:20")).isEqualTo(2);
    assertThat(err.toString()).contains("✘ prod: the weights add up to 110, not 100");
    assertThat(agentflow("alias", "greeter", "prod=1:90,2:10")).isEqualTo(1);
    assertThat(err.toString()).contains("✘ 'greeter' has no version 2; versions: 1");
    assertThat(agentflow("alias", "greeter", "prod")).isEqualTo(2);
  }

  @Test
  void diff_shows_what_changed_between_two_versions() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString(), greeter(2, "hi").toString());

    assertThat(agentflow("diff", "greeter", "1", "2")).as(err.toString()).isZero();
    assertThat(out.toString()).startsWith("--- greeter:1\n+++ greeter:2\n")
        .contains("-    output: \"({greeting: 'hello', version: 1})\"")
        .contains("+    output: \"({greeting: 'hi', version: 2})\"")
        .contains("-version: 1").contains("+version: 2");
  }

  @Test
  void run_by_alias_runs_the_version_the_alias_names_on_the_embedded_server() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString(), greeter(2, "hi").toString());
    agentflow("alias", "greeter", "prod=1");

    int code = agentflow("run", "greeter@prod", "--input", "{\"who\": \"ada\"}");

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).contains("▶ greeter@prod").contains("\"greeting\" : \"hello\"").contains("\"version\" : 1");
  }

  @Test
  void run_by_an_unknown_alias_fails_and_lists_the_aliases_and_versions() throws Exception {
    agentflow("deploy", greeter(1, "hello").toString(), "--alias", "prod");

    int code = agentflow("run", "greeter@staging");

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).contains("'greeter' has no alias 'staging'; aliases: prod → 1; versions: 1");
  }

  @Test
  void two_deploy_processes_of_one_version_end_with_one_winner_and_a_clear_refusal() throws Exception {
    List<String> base = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), AgentflowCommand.class.getName(), "deploy"));
    List<Process> processes = new ArrayList<>();
    for (String greeting : List.of("hello", "bonjour")) {
      List<String> command = new ArrayList<>(base);
      command.add(greeter(1, greeting).toString());
      command.addAll(storeOptions());
      processes.add(new ProcessBuilder(command).redirectErrorStream(true).start());
    }
    int won = 0;
    int refused = 0;
    StringBuilder outputs = new StringBuilder();
    for (Process process : processes) {
      String output = new String(process.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      outputs.append(output);
      assertThat(process.waitFor(120, java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      if (process.exitValue() == 0) {
        assertThat(output).containsPattern("greeter 1 [0-9a-f]{64}");
        won++;
      } else {
        assertThat(process.exitValue()).as(output).isEqualTo(1);
        assertThat(output).contains("✘ version 1 of 'greeter' is already deployed with other content");
        refused++;
      }
    }

    assertThat(won).as(outputs.toString()).isEqualTo(1);
    assertThat(refused).as(outputs.toString()).isEqualTo(1);
    agentflow("versions", "greeter");
    assertThat(out.toString().lines().filter(line -> line.startsWith("1 "))).hasSize(1);
  }
}
