package dev.agentflow.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.engine.expr.ExpressionException.Kind;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The strict sandbox refuses the expressions that used to hang a run, deterministically: each fails
 * with the same kind and message on every machine, before it allocates, instead of running until
 * the wall-clock watchdog (or, for builtins that ignore it, Temporal's deadlock detector) stops it.
 */
class AllocationLimitsTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExpressionSandbox sandbox = new ExpressionSandbox(() -> 0L, () -> 0.5);

  @AfterEach
  void close() {
    sandbox.close();
  }

  private ExpressionException failure(String expression) {
    return catchThrowableOfType(ExpressionException.class, () -> sandbox.evaluate(expression, Scope.EMPTY));
  }

  private void assertLimit(String expression, String message) {
    ExpressionException e = failure(expression);
    assertThat(e).as(expression).isNotNull();
    assertThat(e.kind()).as(expression).isEqualTo(Kind.LIMIT);
    assertThat(e.getMessage()).as(expression).contains(message);
    assertThat(sandbox.evaluate("1 + 1", Scope.EMPTY).asInt()).isEqualTo(2);
  }

  @Test
  void should_refuse_a_huge_repeat_before_allocating() {
    assertLimit("'x'.repeat(1e9).length", "a string would be longer than the 1049600 characters expressions may make");
  }

  @Test
  void should_refuse_every_other_way_of_growing_a_string_past_the_limit() {
    assertLimit("'x'.padStart(1e9).length", "a string would be longer");
    assertLimit("'x'.padEnd(2e6, 'ab').length", "a string would be longer");
    assertLimit("['a', 'b', 'c'].join('x'.repeat(600000)).length", "a string would be longer");
    assertLimit("(() => { let s = 'x'.repeat(1 << 19); return (s + s + s).length; })()", "a string would be longer");
    assertLimit("`${'x'.repeat(700000)}${'y'.repeat(700000)}`.length", "a string would be longer");
  }

  @Test
  void should_refuse_a_huge_array_before_allocating() {
    assertLimit("new Array(1e9).fill(0).length", "new Array: 1000000000");
    assertLimit("Array(1e9).length", "new Array: 1000000000");
    assertLimit("[].constructor(1e9).length", "new Array: 1000000000");
    assertLimit("Array.from({length: 1e9}).length", "Array.from: 1000000000");
  }

  @Test
  void should_refuse_to_walk_an_array_grown_through_its_length() {
    assertLimit("(a => { a.length = 1e9; return a.fill(0).length; })([])", "Array.prototype.fill: 1000000000");
    assertLimit("(a => { a.length = 1e9; return a.indexOf(1); })([])", "Array.prototype.indexOf: 1000000000");
    assertLimit("(a => { a.length = 1e9; return [...a].length; })([])", "Array.prototype.[Symbol.iterator]: 1000000000");
    assertLimit("Array.prototype.includes.call({length: 2 ** 40}, 1)", "Array.prototype.includes: 1099511627776");
  }

  @Test
  void should_refuse_a_huge_array_as_the_result() {
    assertLimit("(a => { a.length = 1e9; return a; })([])", "a string would be longer");
  }

  @Test
  void should_refuse_results_that_add_up_past_the_array_limit() {
    assertLimit("(a => a.concat(a, a))(new Array(50000).fill(1)).length", "Array.prototype.concat: 150000");
    assertLimit("(a => [a, a, a].flat().length)(new Array(50000).fill(1))", "Array.prototype.flat: 150000");
    assertLimit("[1, 2, 3].flatMap(() => new Array(50000).fill(0)).length", "Array.prototype.flatMap: 150000");
    assertLimit("'ab'.repeat(100000).split('').length", "split: 100001");
  }

  @Test
  void should_refuse_object_builtins_over_the_property_limit() {
    assertLimit("Object.keys('x'.repeat(20000)).length", "Object.keys: 20000");
    assertLimit("Object.assign({}, new Array(20000).fill(0)) && 1", "Object.assign: 20000");
    assertLimit("[...'x'.repeat(200000)].length", "String.prototype[Symbol.iterator]: 200000");
  }

  @Test
  void should_have_no_bigint_so_no_power_can_take_seconds() {
    ExpressionException literal = failure("(10n ** 10000000n) > 0n");
    assertThat(literal.kind()).isEqualTo(Kind.SYNTAX);
    assertThat(literal.getMessage()).isEqualTo("line 1, column 2: BigInt literals such as 10n are not available in expressions");

    ExpressionException constructor = failure("BigInt(10) ** BigInt(10000000)");
    assertThat(constructor.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(constructor.getMessage()).startsWith("'BigInt' is not available in expressions");
  }

  @Test
  void should_refuse_promise_loops_before_they_start() {
    ExpressionException async = failure("(async () => { while (true) await null; })(), 1");
    assertThat(async.kind()).isEqualTo(Kind.SYNTAX);
    assertThat(async.getMessage()).startsWith("line 1, column 2: 'async' is not available in expressions");

    ExpressionException promise = failure("(() => { const f = () => Promise.resolve().then(f); f(); return 1; })()");
    assertThat(promise.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(promise.getMessage()).startsWith("'Promise' is not available in expressions");
  }

  @Test
  void should_refuse_code_generated_from_strings() {
    ExpressionException eval = failure("eval('(async () => { while (true) await null; })()')");
    assertThat(eval.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(eval.getMessage()).isEqualTo("eval and Function(…) are not available in expressions");
    assertThat(failure("Function('return 1')()").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure("(function* () {}).constructor('yield 1')().next().value").kind()).isEqualTo(Kind.FORBIDDEN);
  }

  @Test
  void should_refuse_binary_buffers() {
    assertThat(failure("new ArrayBuffer(1e9).byteLength").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure("new Float64Array(1e9).length").kind()).isEqualTo(Kind.FORBIDDEN);
  }

  @Test
  void should_keep_ordinary_array_and_string_work_as_javascript_does() throws Exception {
    String expression = """
        (() => {
          const items = Array.from({length: 5000}, (_, i) => ({n: i, tag: 'item' + i}));
          const picked = items.filter(x => x.n % 1000 === 0).map(x => x.tag);
          const words = 'a,b,,c'.split(',');
          return {
            picked, words, limited: 'a,b,c'.split(',', 2), joined: [1, [2, [3]]].flat(Infinity).join('-'),
            spread: [...'héllo'].length, keys: Object.keys({x: 1, y: 2}), isArray: Array.isArray(new Array(3)),
            instance: [] instanceof Array, filled: new Array(3).fill(7), of: Array.of(1, 2), concat: [1].concat([2], 3),
            flatMapped: [1, 2].flatMap(x => [x, x * 10]), matched: 'a1b22c333'.match(/\\d+/g),
            all: [...'a1b2'.matchAll(/\\d/g)].map(m => m[0]), sorted: [3, 1, 2].sort(), padded: '7'.padStart(3, '0'),
            entries: Object.entries({a: 1}), assigned: Object.assign({}, {a: 1}, {b: 2}), from: Array.from('abc'),
            constructed: [].constructor === Array, date: typeof Date.now()
          };
        })()
        """;

    SandboxLimits unhurried = new SandboxLimits(100_000, java.time.Duration.ofSeconds(30), 1 << 20);
    try (ExpressionSandbox patient = new ExpressionSandbox(() -> 0L, () -> 0.5, unhurried)) {
      assertThat(patient.evaluate(expression, Scope.EMPTY)).isEqualTo(JSON.readTree("""
        {"picked": ["item0", "item1000", "item2000", "item3000", "item4000"], "words": ["a", "b", "", "c"],
         "limited": ["a", "b"], "joined": "1-2-3", "spread": 5, "keys": ["x", "y"], "isArray": true, "instance": true,
         "filled": [7, 7, 7], "of": [1, 2], "concat": [1, 2, 3], "flatMapped": [1, 10, 2, 20],
         "matched": ["1", "22", "333"], "all": ["1", "2"], "sorted": [1, 2, 3], "padded": "007",
         "entries": [["a", 1]], "assigned": {"a": 1, "b": 2}, "from": ["a", "b", "c"], "constructed": true,
         "date": "number"}
        """));
    }
  }

  @Test
  void should_keep_the_legacy_sandbox_for_runs_recorded_before_the_limits() {
    try (ExpressionSandbox legacy = new ExpressionSandbox(() -> 0L, () -> 0.5, SandboxLimits.LEGACY)) {
      assertThat(legacy.evaluate("String(2n ** 64n)", Scope.EMPTY).asText()).isEqualTo("18446744073709551616");
      assertThat(legacy.evaluate("eval('1 + 1')", Scope.EMPTY).asInt()).isEqualTo(2);
      assertThat(legacy.evaluate("typeof Promise", Scope.EMPTY).asText()).isEqualTo("function");
    }
  }
}
