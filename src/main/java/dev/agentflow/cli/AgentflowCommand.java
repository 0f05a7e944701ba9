package dev.agentflow.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code agentflow} command: validate definitions, run them, serve them as a worker. */
@Command(
    name = "agentflow",
    mixinStandardHelpOptions = true,
    version = "agentflow 0.1.0",
    description = "Durable agent graphs on Temporal.",
    subcommands = {RunCommand.class, ValidateCommand.class, WorkerCommand.class, SignalCommand.class})
public final class AgentflowCommand implements Runnable {

  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  public static void main(String[] args) {
    System.exit(execute(args));
  }

  /** Runs the command line and returns the exit code (tests call this instead of {@link #main}). */
  public static int execute(String... args) {
    return commandLine().execute(args);
  }

  /** The configured command line; tests set its output and error writers. */
  public static CommandLine commandLine() {
    return new CommandLine(new AgentflowCommand()).setExpandAtFiles(false);
  }

  @Override
  public void run() {
    spec.commandLine().usage(System.out);
  }
}
