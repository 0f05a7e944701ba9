package dev.agentflow.tools.mcp;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Stops a process and every process it started. A stdio MCP server is often a launcher ({@code npx},
 * a shell) whose real server is a grandchild: killing only the launcher would leave the server
 * running with the worker gone. The descendants are collected before anything is signalled (once
 * the launcher dies its children are re-parented and can no longer be found from it), then each gets
 * SIGTERM, and whatever still runs after the grace period gets SIGKILL.
 */
public final class ProcessTree {

  private ProcessTree() {}

  /** Stops {@code root} and its descendants; returns once all have exited or were killed. */
  public static void stop(ProcessHandle root, Duration grace) {
    List<ProcessHandle> all = new ArrayList<>();
    all.add(root);
    root.descendants().forEach(all::add);
    for (ProcessHandle process : all) {
      process.destroy();
    }
    long deadline = System.nanoTime() + grace.toNanos();
    for (ProcessHandle process : all) {
      long left = deadline - System.nanoTime();
      if (process.isAlive() && left > 0) {
        awaitExit(process.onExit(), left);
      }
    }
    for (ProcessHandle process : all) {
      if (process.isAlive()) {
        process.destroyForcibly();
        awaitExit(process.onExit(), TimeUnit.SECONDS.toNanos(2));
      }
    }
  }

  private static void awaitExit(CompletableFuture<ProcessHandle> exit, long nanos) {
    try {
      exit.get(nanos, TimeUnit.NANOSECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    } catch (ExecutionException | TimeoutException e) {
      // still alive: the caller escalates or gives up
    }
  }
}
