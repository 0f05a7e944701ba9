package dev.agentflow.cli;

/**
 * A command cannot go on, for a reason the person can fix: the message is the whole story (what and
 * where), printed after {@code ✘} without a stack trace. {@link #USAGE} (2) is for a command line
 * that is wrong before anything started (an option's file is missing, a value does not parse);
 * {@link #FAILED} (1) for anything else.
 */
final class CliException extends RuntimeException {

  static final int FAILED = 1;
  static final int USAGE = 2;

  private static final long serialVersionUID = 1L;

  private final int exitCode;

  CliException(int exitCode, String message) {
    super(message, null, false, false);
    this.exitCode = exitCode;
  }

  static CliException usage(String message) {
    return new CliException(USAGE, message);
  }

  static CliException failed(String message) {
    return new CliException(FAILED, message);
  }

  int exitCode() {
    return exitCode;
  }
}
