package dev.agentflow.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The dev server {@code .ci/run} started, stopped and started again through the same script, so the
 * test restarts it with exactly the command, port and SQLite file CI used. Stopping sends SIGTERM
 * and waits for the process to exit; starting waits until the server answers a health check.
 */
final class TemporalDevServer {

  private final Path script;

  TemporalDevServer(Path script) {
    this.script = script;
  }

  /** Stops the server (SIGTERM, then waits for it to exit) and returns how long that took. */
  Duration stop() throws IOException, InterruptedException {
    return run("stop");
  }

  /** Starts the server on the same file and port and returns how long until it answered. */
  Duration start() throws IOException, InterruptedException {
    return run("start");
  }

  private Duration run(String command) throws IOException, InterruptedException {
    long started = System.nanoTime();
    Process process = new ProcessBuilder(script.toString(), command).redirectErrorStream(true).start();
    String output;
    try (var in = process.getInputStream()) {
      output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
    if (!process.waitFor(90, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException(script + " " + command + " did not finish within 90 s:\n" + output);
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException(script + " " + command + " failed (exit " + process.exitValue() + "):\n" + output);
    }
    System.out.print(output);
    return Duration.ofNanos(System.nanoTime() - started);
  }
}
