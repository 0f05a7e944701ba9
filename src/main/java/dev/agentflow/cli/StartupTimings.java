package dev.agentflow.cli;

import java.io.PrintStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Where the time of a command goes, for profiling its start: with {@code AGENTFLOW_TIMINGS=1} in
 * the environment, each phase's end is marked and the list is printed to standard error when the
 * command exits. Times count from {@code AGENTFLOW_TIMINGS_T0} (epoch milliseconds, which the
 * {@code agentflow} launcher sets when it starts, so its own work counts too), else from the JVM's
 * start. Off by default, and then each mark costs one field read.
 */
final class StartupTimings {

  private static final boolean ON = "1".equals(System.getenv("AGENTFLOW_TIMINGS"));
  private static final List<String> MARKS = new ArrayList<>();
  private static final Instant PROCESS_START = ON ? start() : Instant.EPOCH;

  private StartupTimings() {}

  private static Instant start() {
    Instant jvm = Instant.ofEpochMilli(java.lang.management.ManagementFactory.getRuntimeMXBean().getStartTime());
    String launched = System.getenv("AGENTFLOW_TIMINGS_T0");
    if (launched != null && launched.matches("\\d{13}")) {
      Instant t0 = Instant.ofEpochMilli(Long.parseLong(launched));
      MARKS.add(String.format(Locale.ROOT, "%6d ms  %s", Duration.between(t0, jvm).toMillis(), "launcher done, JVM starting"));
      return t0;
    }
    return jvm;
  }

  /** Marks the end of {@code phase}. */
  static synchronized void mark(String phase) {
    if (ON) {
      MARKS.add(String.format(Locale.ROOT, "%6d ms  %s", Duration.between(PROCESS_START, Instant.now()).toMillis(), phase));
    }
  }

  /** Prints the marks (when on). */
  static synchronized void print(PrintStream err) {
    if (ON && !MARKS.isEmpty()) {
      err.println("timings (since the process started):");
      MARKS.forEach(mark -> err.println("  " + mark));
      err.flush();
    }
  }
}
