package dev.agentflow.dsl.expr;

import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.Engine;

/**
 * The one GraalJS {@link Engine} of this JVM.
 *
 * <p>Creating an engine is expensive (hundreds of milliseconds in a cold JVM) while a context on a
 * warm, shared engine costs a few milliseconds. Workflow tasks must finish well within Temporal's
 * one-second deadlock detector, so every context in agentflow is built on this engine, and workers
 * call {@link #warmUp()} when they start.
 */
public final class SharedJsEngine {

  private SharedJsEngine() {}

  /** Lazily created on first use; the holder idiom makes that thread-safe without locks. */
  private static final class Holder {
    static final Engine ENGINE =
        Engine.newBuilder("js")
            .option("engine.WarnInterpreterOnly", "false")
            .build();
  }

  /** The shared engine; never close it. */
  public static Engine get() {
    return Holder.ENGINE;
  }

  /**
   * Creates the engine if needed and evaluates a small expression in a throwaway context, so the
   * first real evaluation (inside a workflow task) does not pay the JVM's cold-start cost.
   */
  public static void warmUp() {
    try (Context context = Context.newBuilder("js").engine(get()).build()) {
      context.eval("js", "JSON.stringify([1, 'a', {b: true}].map(function (x) { return x; }))");
    }
  }
}
