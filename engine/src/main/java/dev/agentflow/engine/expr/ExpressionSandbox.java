package dev.agentflow.engine.expr;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.engine.expr.ExpressionException.Kind;
import java.util.Objects;
import java.util.Optional;
import java.util.function.DoubleSupplier;
import java.util.function.LongSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.graalvm.polyglot.PolyglotException;
import org.graalvm.polyglot.Value;

/**
 * Evaluates the JavaScript expressions and templates of one workflow run, deterministically.
 *
 * <p>It lives inside Temporal workflow code, so replaying a run must give the same values and
 * nothing may block the workflow thread for long:
 *
 * <ul>
 *   <li>contexts ({@link SandboxContext}) on the JVM's {@code SharedJsEngine}, lent by a pool
 *       ({@link ContextPool}) for one evaluation at a time, so a run holds none between them,
 *       with no host access, class lookup, I/O, threads, processes, native or polyglot access; {@code load}, {@code print},
 *       {@code console}, {@code Graal}, {@code Intl}, {@code WeakRef} and {@code
 *       FinalizationRegistry} are absent;
 *   <li>{@code Math.random()} returns the values of the {@code random} supplier in order, {@code
 *       Date.now()} and {@code new Date()} read the {@code clockMillis} supplier, and the time zone
 *       is UTC;
 *   <li>the global object, its namespaces and builtin prototypes are frozen, so one expression
 *       cannot change what the next one sees (a side effect: assigning a property that shadows a
 *       builtin one, such as {@code o.toString = f}, is ignored);
 *   <li>values cross the boundary only as JSON text; a scope field that is {@code null} is JS
 *       {@code null}; a result of {@code undefined} is a {@code NullNode}; a function is a {@link
 *       Kind#RUNTIME} error;
 *   <li>plain property paths ({@code nodes.plan.output}) are answered in Java by {@link
 *       PathExpression} when the answer is certainly JavaScript's, so a graph whose expressions are
 *       all paths never pays for a context;
 *   <li>each evaluation is bounded by {@link SandboxLimits}: statements, string length, the
 *       elements one builtin may make or walk, and result size (all deterministic, checked before
 *       allocating, in the strict sandbox every run since gets), and wall-clock time (a safety net).
 *       The strict sandbox also has no BigInt, code generation from strings, promises or binary
 *       buffers, and refuses {@code async}, {@code await} and {@code import()}. A context an
 *       evaluation cancelled is closed, never lent again.
 * </ul>
 *
 * <p>Only {@link ExpressionException} leaves this class: any other exception escaping workflow code
 * makes Temporal retry the workflow task forever. Not thread-safe: one workflow run, one thread at
 * a time.
 */
public final class ExpressionSandbox implements AutoCloseable {

  private static final ObjectMapper MAPPER = JsonMappers.json();
  private static final Pattern NOT_DEFINED =
      Pattern.compile("ReferenceError: (\\S+) is not defined");

  private static final int MODE_JSON = 0;
  private static final int MODE_TEST = 1;
  private static final int MODE_TEXT = 2;

  private final LongSupplier clockMillis;
  private final DoubleSupplier random;
  private final SandboxLimits limits;
  private boolean usedJavaScript;
  private boolean closed;

  /** A sandbox with {@link SandboxLimits#DEFAULTS}. */
  public ExpressionSandbox(LongSupplier clockMillis, DoubleSupplier random) {
    this(clockMillis, random, SandboxLimits.DEFAULTS);
  }

  /**
   * @param clockMillis what {@code Date.now()} returns; in a workflow {@code
   *     Workflow::currentTimeMillis}
   * @param random what {@code Math.random()} returns, in [0, 1); in a workflow backed by {@code
   *     Workflow.newRandom()}
   */
  public ExpressionSandbox(LongSupplier clockMillis, DoubleSupplier random, SandboxLimits limits) {
    this.clockMillis = Objects.requireNonNull(clockMillis, "clockMillis");
    this.random = Objects.requireNonNull(random, "random");
    this.limits = Objects.requireNonNull(limits, "limits");
  }

  /**
   * Warms the shared engine with this sandbox's configuration (context options, prelude, invoker),
   * so the first sandbox of a workflow task in a cold JVM costs milliseconds, not hundreds. Call
   * it when a worker starts; it never throws.
   */
  public static void warmUp() {
    warmUp(SandboxLimits.DEFAULTS);
    // Contexts with other language options share no code: replays of runs recorded before the
    // strict sandbox would otherwise pay for a cold context inside a workflow task.
    warmUp(SandboxLimits.LEGACY);
  }

  private static void warmUp(SandboxLimits limits) {
    try (ExpressionSandbox sandbox = new ExpressionSandbox(() -> 0L, () -> 0.5, limits)) {
      sandbox.evaluate(
          "({n: [1, 2].map(x => x * Math.random()), t: new Date().getTime()})", Scope.EMPTY);
      sandbox.evaluate(
          "(() => { const a = Array.from({length: 100}, (_, i) => ({i, s: 'v' + i}));"
              + " const f = a.filter(x => x.i % 2).map(x => x.s).concat(['z']).slice(1);"
              + " return {k: Object.keys(a[0]), e: Object.entries({a: 1}), j: f.join(',').split(',').length,"
              + " i: f.includes('v3') && f.indexOf('v5'), s: [...f, ...'ab'].length, o: {...a[1]}}; })()",
          Scope.EMPTY);
      sandbox.test("input == null", Scope.EMPTY);
      sandbox.render(Template.parse("warm ${'up'}"), Scope.EMPTY);
    } catch (ExpressionException e) {
      // Warming up is an optimisation; a real problem shows up again on first real use.
    }
  }

  /**
   * The expression's value as JSON. {@code undefined} (and {@code NaN}, which has no JSON form) is
   * {@code NullNode}; properties whose value is a function or {@code undefined} are left out, as
   * {@code JSON.stringify} does.
   */
  public JsonNode evaluate(String expression, Scope scope) {
    Optional<JsonNode> path = closed ? Optional.empty() : PathExpression.evaluate(expression, scope, limits.maxResultChars());
    if (path.isPresent()) {
      return path.get();
    }
    String json = (String) invoke(expression, scope, MODE_JSON);
    try {
      return MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      throw new ExpressionException(
          Kind.RUNTIME, expression, "the expression's result is not valid JSON: " + e, e);
    }
  }

  /** JavaScript truthiness of the expression's value, for {@code when:} conditions. */
  public boolean test(String expression, Scope scope) {
    Optional<Boolean> path = closed ? Optional.empty() : PathExpression.test(expression, scope);
    if (path.isPresent()) {
      return path.get();
    }
    return (Boolean) invoke(expression, scope, MODE_TEST);
  }

  /**
   * The template with each expression replaced by its value: strings as they are, {@code null}
   * and {@code undefined} as nothing, numbers and booleans as {@code String(value)} does, objects
   * and arrays as JSON.
   */
  public String render(Template template, Scope scope) {
    StringBuilder text = new StringBuilder();
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Literal literal) {
        text.append(literal.text());
      } else if (part instanceof Template.Expression expression) {
        Optional<String> path = closed ? Optional.empty() : PathExpression.text(expression.source(), scope, limits.maxResultChars());
        text.append(path.isPresent() ? path.get() : (String) invoke(expression.source(), scope, MODE_TEXT));
      }
      if (text.length() > limits.maxResultChars()) {
        throw new ExpressionException(
            Kind.LIMIT,
            template.text(),
            "rendered template exceeded the size cap (" + limits.maxResultChars() + " characters)");
      }
    }
    return text.toString();
  }

  /** Whether an expression needed a JavaScript context (paths alone never take one). */
  boolean hasContext() {
    return usedJavaScript;
  }

  /** Later calls fail with {@link ExpressionException}. The sandbox holds no context between calls. */
  @Override
  public void close() {
    closed = true;
  }

  /** Returns a String (JSON or text) or a Boolean, never a polyglot value. */
  private Object invoke(String expression, Scope scope, int mode) {
    Objects.requireNonNull(expression, "expression");
    Objects.requireNonNull(scope, "scope");
    if (closed) {
      throw new ExpressionException(Kind.RUNTIME, expression, "the expression sandbox is closed");
    }
    Object[] arguments = arguments(expression, scope, mode);
    SandboxContext current = take();
    current.bind(clockMillis, random);
    Watchdog watchdog = Watchdog.start(current.context, limits.timeout());
    boolean intact = false;
    try {
      current.context.resetLimits();
      arguments[0] = current.compile(expression);
      Value result = current.invoker.execute(arguments);
      Object copied = copy(result, expression);
      intact = true;
      return copied;
    } catch (PolyglotException e) {
      intact = !breaksContext(e);
      throw translate(e, expression, watchdog.fired());
    } catch (ExpressionException e) {
      intact = true;
      throw e;
    } catch (RuntimeException e) {
      // e.g. IllegalStateException when the watchdog closed the context between two calls
      throw watchdog.fired()
          ? timeLimit(expression)
          : new ExpressionException(Kind.RUNTIME, expression, "evaluation failed: " + e, e);
    } finally {
      if (watchdog.finish() && intact) {
        ContextPool.giveBack(current);
      } else {
        current.close();
      }
    }
  }

  private Object[] arguments(String expression, Scope scope, int mode) {
    JsonNode[] values = scope.inOrder();
    Object[] arguments = new Object[3 + values.length];
    arguments[1] = mode;
    arguments[2] = limits.maxResultChars();
    for (int i = 0; i < values.length; i++) {
      arguments[3 + i] = toJson(values[i], expression);
    }
    return arguments;
  }

  private static String toJson(JsonNode value, String expression) {
    if (value == null || value.isMissingNode()) {
      return null;
    }
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new ExpressionException(Kind.RUNTIME, expression, "scope is not valid JSON: " + e, e);
    }
  }

  private Object copy(Value result, String expression) {
    if (result.isBoolean()) {
      return result.asBoolean();
    }
    if (result.isString()) {
      return result.asString();
    }
    throw new ExpressionException(
        Kind.LIMIT,
        expression,
        "expression result exceeded the size cap ("
            + limits.maxResultChars()
            + " characters): it has "
            + result.asLong()
            + " characters");
  }

  private static boolean breaksContext(PolyglotException e) {
    return e.isCancelled() || e.isResourceExhausted() || e.isInternalError() || e.isExit();
  }

  private ExpressionException translate(PolyglotException e, String expression, boolean timedOut) {
    if (timedOut) {
      return timeLimit(expression);
    }
    if (e.isResourceExhausted()) {
      String message = String.valueOf(e.getMessage());
      return new ExpressionException(
          Kind.LIMIT,
          expression,
          message.startsWith("Statement count limit")
              ? "expression exceeded the statement limit (" + limits.statementLimit() + ")"
              : "expression ran out of resources: " + message,
          e);
    }
    if (e.isCancelled()) {
      return new ExpressionException(Kind.LIMIT, expression, "expression was cancelled", e);
    }
    if (e.isHostException()) {
      // No host object is reachable from expressions: only the clock and random sources can throw.
      return new ExpressionException(
          Kind.RUNTIME,
          expression,
          "the sandbox's clock or random source failed: " + e.getMessage(),
          e);
    }
    if (e.isInternalError()) {
      return new ExpressionException(
          Kind.RUNTIME,
          expression,
          "internal error in the JavaScript engine: " + e.getMessage(),
          e);
    }
    String message = String.valueOf(e.getMessage());
    if (limits.strict() && message.startsWith("RangeError: Invalid string length")) {
      return new ExpressionException(
          Kind.LIMIT,
          expression,
          "a string would be longer than the " + limits.allocation().maxStringLength()
              + " characters expressions may make",
          e);
    }
    if (limits.strict() && message.startsWith("RangeError: " + SandboxScripts.LIMIT_MESSAGE)) {
      return new ExpressionException(Kind.LIMIT, expression, message.substring("RangeError: ".length()), e);
    }
    if (message.startsWith("EvalError: dynamic evaluation of code is disabled")) {
      return new ExpressionException(
          Kind.FORBIDDEN, expression, "eval and Function(…) are not available in expressions", e);
    }
    Matcher notDefined = NOT_DEFINED.matcher(message);
    if (notDefined.find() && SandboxScripts.isForbidden(notDefined.group(1))) {
      return new ExpressionException(
          Kind.FORBIDDEN,
          expression,
          "'"
              + notDefined.group(1)
              + (SandboxScripts.FORBIDDEN_GLOBALS.contains(notDefined.group(1))
                  ? "' is not available in expressions: they have no host, I/O, console or polyglot access"
                  : "' is not available in expressions: they have no BigInt, promises or binary buffers, whose"
                      + " builtins can run unbounded"),
          e);
    }
    return new ExpressionException(Kind.RUNTIME, expression, message, e);
  }

  private ExpressionException timeLimit(String expression) {
    return new ExpressionException(
        Kind.TIME_LIMIT,
        expression,
        "expression exceeded the time limit (" + limits.timeout().toMillis() + " ms)");
  }

  private SandboxContext take() {
    usedJavaScript = true;
    try {
      return ContextPool.take(limits);
    } catch (PolyglotException | IllegalArgumentException | IllegalStateException e) {
      throw new ExpressionException(
          Kind.RUNTIME, null, "could not create the JavaScript context: " + e.getMessage(), e);
    }
  }
}
