package dev.agentflow.it;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code agentflow worker} in a JVM of its own, as production runs it, so a test can kill it the
 * way a machine dies: {@link #kill()} sends SIGKILL (no shutdown hook, no graceful poller stop) and
 * checks the exit status says so. Its output goes to a log file under {@code target/it-logs}.
 */
final class WorkerProcess implements AutoCloseable {

  /** What {@code agentflow worker} prints once its pollers run. */
  static final String READY_LINE = "worker polling task queue";

  /**
   * The worker config of these ITs: the model stubs listen on 127.0.0.1, which the default egress
   * policy refuses, and the key of {@link StepChain} goes to them only because this grant says so.
   */
  static final String IT_CONFIG = """
      egress: {allow: [127.0.0.1/32]}
      secrets:
        %s: {providers: [openai], hosts: [127.0.0.1]}
      """.formatted(StepChain.KEY_VARIABLE);

  /** Exit status of a process killed by SIGKILL (128 + 9). */
  static final int SIGKILL_EXIT = 137;

  private final Process process;
  private final Path log;
  private final CountDownLatch ready = new CountDownLatch(1);

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
    Thread pump = new Thread(this::pumpOutput, "worker-output-" + process.pid());
    pump.setDaemon(true);
    pump.start();
  }

  /**
   * Starts a worker and waits until it polls.
   *
   * @param environment extra environment variables (model keys)
   */
  static WorkerProcess start(String address, String taskQueue, Path blobDir, Map<String, String> environment, Path log)
      throws IOException, InterruptedException {
    return start(address, taskQueue, IT_CONFIG, List.of("--blob-dir", blobDir.toString()), environment, log);
  }

  /**
   * Starts a worker with an engine config of the test's own (its blob store among it) and waits
   * until it polls.
   */
  static WorkerProcess start(String address, String taskQueue, String configYaml, Map<String, String> environment,
      Path log) throws IOException, InterruptedException {
    return start(address, taskQueue, configYaml, List.of(), environment, log);
  }

  private static WorkerProcess start(String address, String taskQueue, String configYaml, List<String> moreArguments,
      Map<String, String> environment, Path log) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    command.add("-Xmx384m");
    command.add("-cp");
    command.add(classpath());
    command.add("dev.agentflow.cli.AgentflowCommand");
    Files.createDirectories(log.getParent());
    Path config = log.resolveSibling(log.getFileName() + ".agentflow.yaml");
    Files.writeString(config, configYaml);
    command.addAll(List.of("worker", "--address", address, "--task-queue", taskQueue, "--config", config.toString()));
    command.addAll(moreArguments);
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    builder.environment().putAll(environment);
    WorkerProcess worker = new WorkerProcess(builder.start(), log);
    worker.awaitReady(Duration.ofSeconds(60));
    return worker;
  }

  /**
   * The test JVM's classpath: the app, its dependencies and the test classes. Failsafe passes it in
   * {@code surefire.test.class.path}; {@code java.class.path} is only its manifest jar.
   */
  static String classpath() {
    String classpath = System.getProperty("surefire.test.class.path");
    return classpath != null && !classpath.isBlank() ? classpath : System.getProperty("java.class.path");
  }

  long pid() {
    return process.pid();
  }

  /** Kills the worker with SIGKILL and returns its exit status ({@value #SIGKILL_EXIT} when SIGKILL did it). */
  int kill() throws InterruptedException {
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException("worker " + process.pid() + " still alive 30 s after SIGKILL");
    }
    return process.exitValue();
  }

  @Override
  public void close() throws InterruptedException {
    if (process.isAlive()) {
      kill();
    }
  }

  private void awaitReady(Duration timeout) throws InterruptedException {
    if (!ready.await(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("the worker did not print '" + READY_LINE + "' within " + timeout.toSeconds()
          + " s" + (process.isAlive() ? "" : " (it exited)") + "; see " + log.toAbsolutePath());
    }
  }

  private void pumpOutput() {
    try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
      String line;
      while ((line = in.readLine()) != null) {
        out.println(line);
        if (line.contains(READY_LINE)) {
          ready.countDown();
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot copy the worker's output to " + log, e);
    }
  }
}
