package dev.agentflow.cli;

import dev.agentflow.engine.ThreadJsonBuffers;
import dev.agentflow.engine.registry.RegistryException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code agentflow} command: validate definitions, run them, serve them as a worker, answer a
 * waiting run, release them through the graph registry (deploy, versions, diff, alias) and start
 * runs by reference.
 *
 * <p>Exit codes: 0 done, 1 failed (a definition or input with problems, a failed run, a server that
 * cannot be reached), 2 usage (the command line is wrong: an unknown option, a missing file, a value
 * that does not parse), always with a {@code ✘} line saying what and where, never a stack trace.
 */
@Command(
    name = "agentflow",
    mixinStandardHelpOptions = true,
    version = "agentflow 0.1.0",
    description = "Durable agent graphs on Temporal.",
    subcommands = {RunCommand.class, StartCommand.class, ValidateCommand.class, WorkerCommand.class, SignalCommand.class,
        GraphCommand.class, WatchCommand.class, TraceCommand.class, PicturesCommand.class,
        DeployCommand.class, VersionsCommand.class, DiffCommand.class, AliasCommand.class, ReplayCommand.class})
public final class AgentflowCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  private static volatile boolean exitsAfterCommand;

  public static void main(String[] args) {
    StartupTimings.mark("JVM started, main entered");
    exitsAfterCommand = true;
    boolean worker = args.length > 0 && args[0].equals("worker");
    if (worker) {
      ThreadJsonBuffers.track();
    } else {
      CliLogging.toFile(args.length > 0 && args[0].matches("[a-z]+") ? args[0] : "agentflow");
    }
    int code = execute(args);
    Path log = CliLogging.logFile();
    try {
      if (code != 0 && log != null && Files.exists(log) && Files.size(log) > 0) {
        System.err.println("  (log: " + log + ")");
      } else {
        CliLogging.cleanUpIfEmpty();
      }
    } catch (java.io.IOException e) {
      // nothing more to say
    }
    StartupTimings.mark("exit");
    StartupTimings.print(System.err);
    System.exit(code);
  }

  /**
   * True in a process that {@link #main} runs: it exits when the command ends, so what lives only in
   * its memory (the embedded server) needs no orderly stop. False when tests run commands.
   */
  static boolean exitsAfterCommand() {
    return exitsAfterCommand;
  }

  /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line; tests set its output and error writers. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new AgentflowCommand()).setExpandAtFiles(false);
    commandLine.setExecutionExceptionHandler(AgentflowCommand::handle);
    return commandLine;
  }

  /** A command's exception as a {@code ✘} line (and its cause, in one more line), never a stack trace. */
  private static int handle(Exception e, CommandLine commandLine, CommandLine.ParseResult parseResult) {
    PrintWriter err = commandLine.getErr();
    if (e instanceof CliException cli) {
      err.println("✘ " + cli.getMessage());
      err.flush();
      return cli.exitCode();
    }
    if (e instanceof RegistryException registry) {
      err.println("✘ " + registry.getMessage().stripTrailing());
      err.flush();
      return CliException.FAILED;
    }
    err.println("✘ " + Failures.describe(e));
    err.flush();
    return CliException.FAILED;
  }

  @Override
  public void run() {
    spec.commandLine().usage(spec.commandLine().getOut());
  }
}
