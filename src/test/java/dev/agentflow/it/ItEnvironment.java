package dev.agentflow.it;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What {@code .ci/run} hands the integration tests through the environment: where the Temporal dev
 * server listens and the script that stops and starts it. A developer without a server skips the
 * tests (a JUnit assumption with the reason), while CI always sets every variable.
 */
public final class ItEnvironment {

  static final String TEMPORAL_ADDRESS = "AGENTFLOW_IT_TEMPORAL_ADDRESS";
  static final String TEMPORAL_CTL = "AGENTFLOW_IT_TEMPORAL_CTL";

  private ItEnvironment() {}

  /** The dev server's frontend, e.g. {@code 127.0.0.1:7233}; skips the test when unset. */
  public static String temporalAddress() {
    return require(TEMPORAL_ADDRESS);
  }

  /** The script that starts and stops the dev server ({@code .ci/temporal-dev-server.sh}); skips the test when unset. */
  static Path temporalControlScript() {
    return Path.of(require(TEMPORAL_CTL));
  }

  /**
   * CPU seconds the dev server process has used so far (from {@code /proc/<pid>/stat}, its pid in
   * {@code <db>.pid}), or -1 where that cannot be read.
   */
  static double serverCpuSeconds() {
    String db = System.getenv("AGENTFLOW_IT_TEMPORAL_DB");
    try {
      String pid = Files.readString(Path.of(db + ".pid")).trim();
      String stat = Files.readString(Path.of("/proc", pid, "stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      // after the command: state is field 3 of stat, utime 14 and stime 15 (clock ticks, 100 per second)
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /** The stock {@code temporal} CLI the dev server runs from; skips the test when unset. */
  static Path temporalBinary() {
    return Path.of(require("AGENTFLOW_IT_TEMPORAL_BIN"));
  }

  private static String require(String name) {
    String value = System.getenv(name);
    assumeTrue(value != null && !value.isBlank(),
        name + " is not set: no Temporal dev server to test against (.ci/run starts one and sets it)");
    return value;
  }
}
