package dev.agentflow.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;

/**
 * Where the SDKs' log lines go. For a command a person runs and watches ({@code run}, {@code
 * validate}, {@code signal}) they go to a log file, so a failed run shows one {@code ✘} line and its
 * cause instead of the Temporal SDK's warning and stack trace; the file's path is printed when the
 * command fails. A {@code worker} keeps logging to the terminal, where its operator expects it.
 *
 * <p>slf4j-simple reads its settings when the first logger is made, so {@link #toFile} must run
 * before anything logs.
 */
final class CliLogging {

  private static final String LOG_FILE_PROPERTY = "org.slf4j.simpleLogger.logFile";

  private static Path logFile;

  private CliLogging() {}

  /**
   * Sends log lines to a new file under {@code <agentflow home>/logs}; falls back to the terminal
   * when that directory cannot be created.
   */
  static void toFile(String command) {
    if (System.getProperty(LOG_FILE_PROPERTY) != null) {
      return; // chosen by whoever started the JVM
    }
    try {
      Path directory = home().resolve("logs");
      Files.createDirectories(directory);
      String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
      Path file = directory.resolve("agentflow-" + command + "-" + stamp + "-" + ProcessHandle.current().pid() + ".log");
      System.setProperty(LOG_FILE_PROPERTY, file.toString());
      logFile = file;
      routeJavaUtilLogging();
    } catch (IOException | RuntimeException e) {
      // logging stays on the terminal
    }
  }

  /**
   * gRPC logs through {@code java.util.logging}, which prints to the terminal by default: its
   * records go to slf4j (so to the log file) instead, at slf4j's levels.
   */
  private static void routeJavaUtilLogging() {
    java.util.logging.Logger root = java.util.logging.LogManager.getLogManager().getLogger("");
    for (java.util.logging.Handler handler : root.getHandlers()) {
      root.removeHandler(handler);
    }
    root.addHandler(new java.util.logging.Handler() {
      @Override
      public void publish(java.util.logging.LogRecord record) {
        org.slf4j.Logger logger = org.slf4j.LoggerFactory.getLogger(
            record.getLoggerName() == null ? "jul" : record.getLoggerName());
        String message = new java.util.logging.SimpleFormatter().formatMessage(record);
        int level = record.getLevel().intValue();
        if (level >= java.util.logging.Level.SEVERE.intValue()) {
          logger.error(message, record.getThrown());
        } else if (level >= java.util.logging.Level.WARNING.intValue()) {
          logger.warn(message, record.getThrown());
        } else if (level >= java.util.logging.Level.INFO.intValue()) {
          logger.info(message, record.getThrown());
        } else {
          logger.debug(message, record.getThrown());
        }
      }

      @Override
      public void flush() {}

      @Override
      public void close() {}
    });
  }

  /** The log file of this process, or null when logs go to the terminal. */
  static Path logFile() {
    return logFile;
  }

  /** Deletes the log file of a command that succeeded and logged nothing. */
  static void cleanUpIfEmpty() {
    try {
      if (logFile != null && Files.exists(logFile) && Files.size(logFile) == 0) {
        Files.delete(logFile);
      }
    } catch (IOException e) {
      // leave it
    }
  }

  /** {@code $AGENTFLOW_HOME}, else {@code ~/.agentflow}. */
  static Path home() {
    String home = System.getenv("AGENTFLOW_HOME");
    return home != null && !home.isBlank() ? Path.of(home) : Path.of(System.getProperty("user.home"), ".agentflow");
  }
}
