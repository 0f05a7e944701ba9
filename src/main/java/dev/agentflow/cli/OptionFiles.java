package dev.agentflow.cli;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Checks the files and directories named in options before a command starts anything, so a typo
 * is "not found: PATH" at once instead of a stack trace or a minute of retries later.
 */
final class OptionFiles {

  private OptionFiles() {}

  /** {@code path} (given as {@code option}) must be a readable file; null passes. */
  static void requireFile(String option, Path path) {
    if (path == null) {
      return;
    }
    if (!Files.exists(path)) {
      throw CliException.usage(option + ": not found: " + path);
    }
    if (Files.isDirectory(path)) {
      throw CliException.usage(option + ": " + path + " is a directory, not a file");
    }
    if (!Files.isReadable(path)) {
      throw CliException.usage(option + ": cannot read " + path + " (permission denied)");
    }
  }

  /** {@code path} must exist (a file or a directory). */
  static void requireExisting(String option, Path path) {
    if (path != null && !Files.exists(path)) {
      throw CliException.usage(option + ": not found: " + path);
    }
  }

  /** {@code path} must be a directory, or not exist yet with a writable place to create it. */
  static void requireDirectoryOrCreatable(String option, Path path) {
    if (path == null) {
      return;
    }
    if (Files.exists(path)) {
      if (!Files.isDirectory(path)) {
        throw CliException.usage(option + ": " + path + " is a file, not a directory");
      }
      if (!Files.isWritable(path)) {
        throw CliException.usage(option + ": cannot write to " + path + " (permission denied)");
      }
      return;
    }
    Path parent = path.toAbsolutePath().getParent();
    while (parent != null && !Files.exists(parent)) {
      parent = parent.getParent();
    }
    if (parent == null || !Files.isDirectory(parent) || !Files.isWritable(parent)) {
      throw CliException.usage(option + ": cannot create " + path
          + (parent == null ? "" : " (" + parent + " is not a writable directory)"));
    }
  }
}
