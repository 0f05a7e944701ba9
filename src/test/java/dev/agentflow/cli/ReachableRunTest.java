package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.temporal.internal.testservice.GRPCServerHelper;
import io.temporal.internal.testservice.TestServicesStarter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Runs that need a person can be answered from another process, and workers start on a server
 * without the operator API (Temporal's Java test server), answering the examples from their
 * offline scripts as the README's real-server section has it.
 */
class ReachableRunTest {

  private static final Path DEFINITIONS = Path.of("..", "definitions").toAbsolutePath().normalize();
  private static final Pattern ADDRESS = Pattern.compile("--address (127\\.0\\.0\\.1:\\d+)");

  @TempDir Path tempDir;

  private static int agentflow(StringWriter out, StringWriter err, String... args) {
    CommandLine commandLine = AgentflowCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void should_let_another_process_answer_a_waiting_run_through_the_address_it_prints() throws Exception {
    StringWriter runOut = new StringWriter();
    StringWriter runErr = new StringWriter();
    CompletableFuture<Integer> run = CompletableFuture.supplyAsync(() -> agentflow(runOut, runErr, "run",
        DEFINITIONS.resolve("approval-gate.yaml").toString(), "--offline", "--workflow-id", "gate-1",
        "--input", "{\"request\": \"Refund Ada\"}", "--blob-dir", tempDir.resolve("blobs").toString()));

    String address = awaitAddress(runOut, run);
    assertThat(runOut.toString()).contains("⏸ waiting for 'approve'")
        .contains("agentflow signal gate-1 approve --data JSON --address " + address)
        .contains("temporal workflow signal --address " + address + " --namespace default --workflow-id gate-1 --name approve");

    StringWriter signalOut = new StringWriter();
    StringWriter signalErr = new StringWriter();
    int signalled = agentflow(signalOut, signalErr, "signal", "gate-1", "approve", "--data", "{\"approved\": true}",
        "--address", address);

    assertThat(signalled).as(signalErr.toString()).isZero();
    assertThat(run.get(60, TimeUnit.SECONDS)).as(runErr.toString()).isZero();
    assertThat(runOut.toString()).contains("\"sent\" : true");
  }

  private static String awaitAddress(StringWriter out, CompletableFuture<Integer> run) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline && !run.isDone()) {
      Matcher matcher = ADDRESS.matcher(out.toString());
      if (out.toString().contains("⏸") && matcher.find()) {
        return matcher.group(1);
      }
      Thread.sleep(50);
    }
    throw new AssertionError("the run never said how to answer it:\n" + out);
  }

  @Test
  void should_start_a_worker_without_the_operator_api_and_run_the_examples_from_their_scripts() throws Exception {
    TestServicesStarter services = new TestServicesStarter(true, 0);
    NettyServerBuilder builder = NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0));
    GRPCServerHelper.registerServicesAndHealthChecks(services.getServices(), builder);
    Server server = builder.build().start();
    String address = "127.0.0.1:" + server.getPort();
    try {
      StringWriter workerOut = new StringWriter();
      StringWriter workerErr = new StringWriter();
      CommandLine worker = new CommandLine(new WorkerCommand());
      worker.parseArgs("--address", address, "--offline", "--offline-script", DEFINITIONS.toString(),
          "--blob-dir", tempDir.resolve("blobs").toString());
      try (WorkerCommand.Running running = ((WorkerCommand) worker.getCommand())
          .start(new PrintWriter(workerOut, true), new PrintWriter(workerErr, true))) {
        assertThat(workerOut.toString())
            .contains("runs will not set the search attributes AgentflowGraph, AgentflowGraphVersion, AgentflowNode,"
                + " AgentflowTokens, AgentflowCostUsd")
            .contains("no operator API").contains("worker polling task queue 'agentflow'");

        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = agentflow(out, err, "run", DEFINITIONS.resolve("map-reduce-summarizer.yaml").toString(),
            "--address", address, "--input", "@" + DEFINITIONS.resolve("map-reduce-summarizer.input.json"),
            "--blob-dir", tempDir.resolve("client-blobs").toString());

        assertThat(code).as(err.toString()).isZero();
        assertThat(out.toString()).contains("Three short documents about tides, summarized in order.")
            .contains("A short document about tides.");
      }
    } finally {
      server.shutdownNow();
      services.close();
    }
  }
}
