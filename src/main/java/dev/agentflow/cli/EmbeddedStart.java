package dev.agentflow.cli;

import dev.agentflow.engine.workflow.Warmup;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The embedded server and the expression sandbox's warm-up, each started on a thread of its own
 * as soon as {@code agentflow run} knows it needs them, so both are ready (or nearly) when the
 * definition, input and policy have been checked: the checks, the server and the warm-up each take
 * a few hundred milliseconds in a cold JVM, and none needs the others.
 */
final class EmbeddedStart {

  private final CompletableFuture<EmbeddedTemporal.Listening> server;
  private boolean taken;

  private EmbeddedStart(CompletableFuture<EmbeddedTemporal.Listening> server) {
    this.server = server;
  }

  /** Starts the server on {@code port} of the loopback interface and the warm-up. */
  static EmbeddedStart begin(int port) {
    ExecutorService threads = Executors.newFixedThreadPool(2, task -> {
      Thread thread = new Thread(task, "agentflow-start");
      thread.setDaemon(true);
      return thread;
    });
    CompletableFuture<EmbeddedTemporal.Listening> server =
        CompletableFuture.supplyAsync(() -> EmbeddedTemporal.listen(port), threads);
    CompletableFuture.runAsync(Warmup::run, threads);
    threads.shutdown(); // its threads end when their tasks have
    return new EmbeddedStart(server);
  }

  /**
   * The listening server, once it is; the caller owns it from then on.
   *
   * @throws java.io.UncheckedIOException when its port could not be bound
   */
  EmbeddedTemporal.Listening take() {
    taken = true;
    try {
      return server.join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException cause) {
        throw cause;
      }
      throw e;
    }
  }

  /** When the command ended before it took the server (a check failed): closes it once it has started. */
  void abandonUnlessTaken() {
    if (!taken) {
      server.whenComplete((listening, failure) -> {
        if (listening != null) {
          listening.close();
        }
      });
    }
  }
}
