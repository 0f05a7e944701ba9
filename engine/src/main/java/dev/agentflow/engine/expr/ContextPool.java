package dev.agentflow.engine.expr;

import java.util.Deque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The JVM's idle JavaScript contexts, by sandbox limits. A context is taken for one evaluation and
 * given back after it, so a run holds no context between its evaluations: a run parked at a
 * {@code wait} node for days costs no JavaScript heap, and a worker needs only as many contexts as
 * it evaluates expressions at the same time (at most its workflow task slots). At most {@link
 * #MAX_IDLE} idle contexts are kept per kind of limits; more are closed when given back. A context
 * an evaluation broke (cancelled, out of resources) is never given back.
 */
final class ContextPool {

  /** Idle contexts kept per kind of limits (about 1-2 MB of heap each once warm). */
  static final int MAX_IDLE = 16;

  private static final Map<SandboxLimits, Deque<SandboxContext>> IDLE = new ConcurrentHashMap<>();
  private static final Map<SandboxLimits, AtomicInteger> IDLE_COUNT = new ConcurrentHashMap<>();
  private static final AtomicInteger CREATED = new AtomicInteger();

  private ContextPool() {}

  /** An idle context for these limits, or a new one. */
  static SandboxContext take(SandboxLimits limits) {
    SandboxContext idle = IDLE.computeIfAbsent(limits, l -> new ConcurrentLinkedDeque<>()).pollFirst();
    if (idle != null) {
      IDLE_COUNT.get(limits).decrementAndGet();
      return idle;
    }
    CREATED.incrementAndGet();
    return SandboxContext.open(limits);
  }

  /** Gives an intact context back (unbound), or closes it when enough are idle. */
  static void giveBack(SandboxContext context) {
    context.unbind();
    AtomicInteger count = IDLE_COUNT.computeIfAbsent(context.limits, l -> new AtomicInteger());
    if (count.incrementAndGet() > MAX_IDLE) {
      count.decrementAndGet();
      context.close();
      return;
    }
    IDLE.computeIfAbsent(context.limits, l -> new ConcurrentLinkedDeque<>()).addFirst(context);
  }

  /** Idle contexts now, of every kind. */
  static int idle() {
    return IDLE_COUNT.values().stream().mapToInt(AtomicInteger::get).sum();
  }

  /** Contexts created since the JVM started. */
  static int created() {
    return CREATED.get();
  }
}
