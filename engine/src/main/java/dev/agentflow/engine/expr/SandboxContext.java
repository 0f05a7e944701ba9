package dev.agentflow.engine.expr;

import dev.agentflow.dsl.expr.ExpressionSyntax;
import dev.agentflow.dsl.expr.SharedJsEngine;
import dev.agentflow.engine.expr.ExpressionException.Kind;
import java.io.InputStream;
import java.io.OutputStream;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import org.graalvm.polyglot.Context;
import org.graalvm.polyglot.EnvironmentAccess;
import org.graalvm.polyglot.PolyglotAccess;
import org.graalvm.polyglot.ResourceLimits;
import org.graalvm.polyglot.Source;
import org.graalvm.polyglot.Value;
import org.graalvm.polyglot.io.IOAccess;
import org.graalvm.polyglot.proxy.ProxyExecutable;

/**
 * One locked-down JavaScript context, with its invoker and the expressions compiled in it; all are
 * dropped together when the context is discarded (after a cancellation). Building it is the
 * expensive part of a sandbox, which is why sandboxes create none when an expression is a plain
 * path, and share them through {@link ContextPool}: a context is lent to one evaluation at a time,
 * bound to that run's clock and random source for the evaluation only ({@link #bind}), and holds
 * nothing of the run afterwards (globals are frozen, so an evaluation leaves no trace).
 */
final class SandboxContext {

  private static final int MAX_CACHED_EXPRESSIONS = 1_000;

  final Context context;
  final Value invoker;
  final SandboxLimits limits;
  private final boolean strict;
  private final Binding binding;
  private final Map<String, Value> compiled =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Value> eldest) {
          return size() > MAX_CACHED_EXPRESSIONS;
        }
      };

  private SandboxContext(Context context, Value invoker, SandboxLimits limits, Binding binding) {
    this.context = context;
    this.invoker = invoker;
    this.limits = limits;
    this.strict = limits.allocation() != null;
    this.binding = binding;
  }

  /** What {@code Date.now()} and {@code Math.random()} read: the run being evaluated for. */
  private static final class Binding {
    volatile LongSupplier clockMillis = Binding::unbound;
    volatile DoubleSupplier random = () -> unbound();

    private static long unbound() {
      throw new IllegalStateException("the JavaScript context is not lent to an evaluation");
    }
  }

  /** Lends the context to an evaluation of a run with this clock and random source. */
  void bind(LongSupplier clockMillis, DoubleSupplier random) {
    binding.clockMillis = clockMillis;
    binding.random = random;
  }

  /** Ends the loan: the context keeps no reference to the run. */
  void unbind() {
    binding.clockMillis = Binding::unbound;
    binding.random = () -> Binding.unbound();
  }

  /**
   * The expression as a function of the scope, compiled once per context. A strict context also
   * refuses the syntax expressions may not use ({@link ExpressionSyntax#checkAllowed}).
   */
  Value compile(String expression) {
    Value function = compiled.get(expression);
    if (function == null) {
      Optional<String> problem = strict ? ExpressionSyntax.checkAllowed(expression) : Optional.empty();
      if (problem.isEmpty()) {
        problem = ExpressionSyntax.check(context, expression);
      }
      if (problem.isPresent()) {
        throw new ExpressionException(Kind.SYNTAX, expression, problem.get());
      }
      function = context.eval(Source.create("js", ExpressionSyntax.wrap(expression)));
      compiled.put(expression, function);
    }
    return function;
  }

  void close() {
    try {
      context.close(true);
    } catch (RuntimeException e) {
      // A cancelled context reports its cancellation again when closed; it is gone either way.
    }
  }

  /**
   * A new context with the prelude run (clock, random, frozen globals) and the invoker compiled;
   * for strict limits ({@link SandboxLimits#strict()}) also the engine's string length limit, no
   * BigInt, no code generation from strings, and the allocation guards. Not bound to a run yet.
   */
  static SandboxContext open(SandboxLimits limits) {
    ResourceLimits resourceLimits = ResourceLimits.newBuilder().statementLimit(limits.statementLimit(), null).build();
    Binding binding = new Binding();
    Context.Builder builder =
        Context.newBuilder("js")
            .engine(SharedJsEngine.get())
            .allowAllAccess(false)
            .allowHostClassLookup(className -> false)
            .allowHostClassLoading(false)
            .allowIO(IOAccess.NONE)
            .allowCreateThread(false)
            .allowCreateProcess(false)
            .allowNativeAccess(false)
            .allowPolyglotAccess(PolyglotAccess.NONE)
            .allowEnvironmentAccess(EnvironmentAccess.NONE)
            .allowInnerContextOptions(false)
            .allowValueSharing(false)
            .in(InputStream.nullInputStream())
            .out(OutputStream.nullOutputStream())
            .err(OutputStream.nullOutputStream())
            .timeZone(ZoneOffset.UTC)
            .option("js.load", "false")
            .option("js.print", "false")
            .option("js.console", "false")
            .option("js.graal-builtin", "false")
            .option("js.intl-402", "false")
            .resourceLimits(resourceLimits);
    List<String> forbidden = new ArrayList<>(SandboxScripts.FORBIDDEN_GLOBALS);
    SandboxLimits.Allocation allocation = limits.allocation();
    if (allocation != null) {
      builder
          .allowExperimentalOptions(true)
          .option("js.string-length-limit", String.valueOf(allocation.maxStringLength()))
          .option("js.bigint", "false")
          .option("js.allow-eval", "false")
          .option("js.shared-array-buffer", "false")
          .option("js.max-typed-array-length", String.valueOf(allocation.maxArrayLength()))
          .option("js.max-apply-argument-length", String.valueOf(allocation.maxArrayLength()));
      forbidden.addAll(SandboxScripts.STRICT_FORBIDDEN_GLOBALS);
    }
    Context context = builder.build();
    try {
      if (allocation != null) {
        context
            .eval(Source.create("js", SandboxScripts.GUARDS))
            .execute(allocation.maxArrayLength(), allocation.maxProperties());
      }
      ProxyExecutable nextRandom = args -> binding.random.getAsDouble();
      ProxyExecutable nowMillis = args -> (double) binding.clockMillis.getAsLong();
      context
          .eval(Source.create("js", SandboxScripts.PRELUDE))
          .execute(nextRandom, nowMillis, String.join(",", forbidden));
      return new SandboxContext(context, context.eval(Source.create("js", SandboxScripts.INVOKER)), limits, binding);
    } catch (RuntimeException e) {
      context.close(true);
      throw e;
    }
  }
}
