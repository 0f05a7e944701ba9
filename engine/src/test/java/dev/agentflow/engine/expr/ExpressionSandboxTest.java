package dev.agentflow.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.NullNode;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.engine.expr.ExpressionException.Kind;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ExpressionSandboxTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final long NOW = 1_700_000_000_000L;

  private final ExpressionSandbox sandbox = new ExpressionSandbox(() -> NOW, () -> 0.5);

  @AfterEach
  void closeSandbox() {
    sandbox.close();
  }

  private static JsonNode json(String text) {
    try {
      return JSON.readTree(text);
    } catch (Exception e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static Scope scope() {
    return new Scope(
        json("{\"topic\": \"tides\", \"count\": 3}"),
        json("{\"plan\": {\"output\": {\"steps\": [\"a\", \"b\"]}}}"),
        json("{\"feedback\": \"more sources\"}"),
        json("{\"plan\": 2}"),
        json("{\"tokens\": 1200, \"costUsd\": 0.01}"),
        json("{\"id\": \"run-1\", \"graph\": \"research\", \"version\": 3}"),
        json("{\"verdict\": \"approve\"}"),
        null,
        null,
        null);
  }

  private ExpressionException failure(ExpressionSandbox target, String expression) {
    return catchThrowableOfType(
        ExpressionException.class, () -> target.evaluate(expression, scope()));
  }

  // --- values -------------------------------------------------------------------------------

  @Test
  void should_read_every_scope_variable() {
    assertThat(sandbox.evaluate("input.topic", scope()).asText()).isEqualTo("tides");
    assertThat(sandbox.evaluate("nodes.plan.output.steps.length", scope()).asInt()).isEqualTo(2);
    assertThat(sandbox.evaluate("vars.feedback", scope()).asText()).isEqualTo("more sources");
    assertThat(sandbox.evaluate("visits.plan", scope()).asInt()).isEqualTo(2);
    assertThat(sandbox.evaluate("usage.tokens", scope()).asInt()).isEqualTo(1200);
    assertThat(sandbox.evaluate("run.graph", scope()).asText()).isEqualTo("research");
    assertThat(sandbox.evaluate("output.verdict", scope()).asText()).isEqualTo("approve");
    assertThat(sandbox.evaluate("item", scope()).isNull()).isTrue();
  }

  @Test
  void should_return_objects_and_arrays_as_json() {
    JsonNode value =
        sandbox.evaluate("({n: input.count * 2, list: [1, 'x', true, null]})", scope());

    assertThat(value).isEqualTo(json("{\"n\": 6, \"list\": [1, \"x\", true, null]}"));
  }

  @Test
  void should_see_absent_scope_fields_as_null() {
    assertThat(sandbox.evaluate("input === null && output === null", Scope.EMPTY).asBoolean())
        .isTrue();
    assertThat(sandbox.evaluate("vars?.feedback ?? 'none'", Scope.EMPTY).asText())
        .isEqualTo("none");
  }

  @Test
  void should_turn_undefined_into_a_json_null() {
    assertThat(sandbox.evaluate("undefined", scope())).isEqualTo(NullNode.getInstance());
    assertThat(sandbox.evaluate("input.missing", scope())).isEqualTo(NullNode.getInstance());
  }

  @Test
  void should_refuse_a_function_result() {
    ExpressionException e = failure(sandbox, "x => x");

    assertThat(e.kind()).isEqualTo(Kind.RUNTIME);
    assertThat(e.getMessage()).contains("function");
  }

  @Test
  void should_report_a_thrown_error_as_runtime() {
    ExpressionException e = failure(sandbox, "input.nothing.deeper");

    assertThat(e.kind()).isEqualTo(Kind.RUNTIME);
    assertThat(e.getMessage()).contains("TypeError");
    assertThat(e.expression()).isEqualTo("input.nothing.deeper");
  }

  @Test
  void should_report_a_syntax_error_with_its_position() {
    ExpressionException e = failure(sandbox, "input.count + * 2");

    assertThat(e.kind()).isEqualTo(Kind.SYNTAX);
    assertThat(e.getMessage()).startsWith("line 1, column 15:");
  }

  @Test
  void should_refuse_text_that_breaks_out_of_the_wrapper() {
    assertThat(failure(sandbox, "1); }), (function() { return (2").kind()).isEqualTo(Kind.SYNTAX);
  }

  @Test
  void should_test_javascript_truthiness() {
    assertThat(sandbox.test("output.verdict === 'approve'", scope())).isTrue();
    assertThat(sandbox.test("visits.plan < 2", scope())).isFalse();
    assertThat(sandbox.test("''", scope())).isFalse();
    assertThat(sandbox.test("0", scope())).isFalse();
    assertThat(sandbox.test("item", scope())).isFalse();
    assertThat(sandbox.test("[]", scope())).isTrue();
    assertThat(sandbox.test("'no'", scope())).isTrue();
  }

  @Test
  void should_evaluate_a_cached_expression_a_thousand_times() {
    for (int i = 0; i < 1_000; i++) {
      Scope scope = Scope.EMPTY.withItem(JSON.getNodeFactory().numberNode(i));
      assertThat(sandbox.evaluate("item * 2", scope).asInt()).isEqualTo(i * 2);
    }
  }

  @Test
  void should_keep_one_expression_from_changing_what_the_next_sees() {
    sandbox.evaluate(
        "(globalThis.leak = 1, JSON.stringify = () => 'x', Math.max = () => 0, 1)", scope());
    sandbox.evaluate("(Array.prototype.map = () => 'hacked', 1)", scope());

    assertThat(sandbox.evaluate("typeof leak", scope()).asText()).isEqualTo("undefined");
    assertThat(sandbox.evaluate("Math.max(1, 2)", scope()).asInt()).isEqualTo(2);
    assertThat(sandbox.evaluate("[1].map(x => x + 1)", scope())).isEqualTo(json("[2]"));
  }

  // --- rendering ----------------------------------------------------------------------------

  @Test
  void should_render_a_template() {
    Template template = Template.parse("Plan research on ${input.topic}. ${vars.feedback ?? ''}");

    assertThat(sandbox.render(template, scope())).isEqualTo("Plan research on tides. more sources");
    Scope noFeedback =
        new Scope(json("{\"topic\": \"reefs\"}"), null, json("{}"), null, null, null, null, null, null, null);
    assertThat(sandbox.render(template, noFeedback)).isEqualTo("Plan research on reefs. ");
  }

  @Test
  void should_render_each_kind_of_value() {
    Template template =
        Template.parse(
            "s=${'a'} n=${1.5} i=${input.count} b=${true} null=${null} u=${undefined}"
                + " o=${ {a: [1, 2]} } a=${[1, 'x']} nan=${0/0}");

    assertThat(sandbox.render(template, scope()))
        .isEqualTo("s=a n=1.5 i=3 b=true null= u= o={\"a\":[1,2]} a=[1,\"x\"] nan=NaN");
  }

  @Test
  void should_render_a_bigint_in_the_legacy_sandbox_that_old_runs_replay_with() {
    try (ExpressionSandbox legacy = new ExpressionSandbox(() -> NOW, () -> 0.5, SandboxLimits.LEGACY)) {
      assertThat(legacy.render(Template.parse("big=${10n}"), scope())).isEqualTo("big=10");
    }
  }

  @Test
  void should_render_a_constant_template_as_is() {
    assertThat(sandbox.render(Template.parse("cost: $5 \\${x}"), scope()))
        .isEqualTo("cost: $5 ${x}");
  }

  @Test
  void should_refuse_to_render_a_function() {
    assertThatThrownBy(() -> sandbox.render(Template.parse("f=${() => 1}"), scope()))
        .isInstanceOf(ExpressionException.class)
        .extracting(e -> ((ExpressionException) e).kind())
        .isEqualTo(Kind.RUNTIME);
  }

  // --- determinism --------------------------------------------------------------------------

  @Test
  void should_feed_math_random_from_the_supplier_in_order() {
    Deque<Double> values = new ArrayDeque<>(List.of(0.1, 0.2, 0.3));
    try (ExpressionSandbox seeded = new ExpressionSandbox(() -> NOW, values::removeFirst)) {
      assertThat(seeded.evaluate("[Math.random(), Math.random()]", scope()))
          .isEqualTo(json("[0.1, 0.2]"));
      assertThat(seeded.evaluate("Math.random()", scope()).asDouble()).isEqualTo(0.3);
    }
  }

  @Test
  void should_take_the_time_from_the_clock_supplier() {
    assertThat(sandbox.evaluate("Date.now()", scope()).asLong()).isEqualTo(NOW);
    assertThat(sandbox.evaluate("new Date().getTime()", scope()).asLong()).isEqualTo(NOW);
    assertThat(sandbox.evaluate("new Date().toISOString()", scope()).asText())
        .isEqualTo("2023-11-14T22:13:20.000Z");
    assertThat(sandbox.evaluate("Date()", scope()).asText()).contains("Nov 14 2023 22:13:20");
    assertThat(sandbox.evaluate("new Date() instanceof Date", scope()).asBoolean()).isTrue();
  }

  @Test
  void should_keep_explicit_dates_working() {
    assertThat(sandbox.evaluate("new Date(0).toISOString()", scope()).asText())
        .isEqualTo("1970-01-01T00:00:00.000Z");
    assertThat(sandbox.evaluate("new Date(2024, 0, 2).getTime()", scope()).asLong())
        .isEqualTo(1_704_153_600_000L);
    assertThat(sandbox.evaluate("Date.parse('2024-01-02T00:00:00Z')", scope()).asLong())
        .isEqualTo(1_704_153_600_000L);
    assertThat(sandbox.evaluate("Date.UTC(2024, 0, 2)", scope()).asLong())
        .isEqualTo(1_704_153_600_000L);
  }

  @Test
  void should_use_utc_whatever_the_jvm_time_zone() {
    assertThat(sandbox.evaluate("new Date(0).getHours()", scope()).asInt()).isZero();
    assertThat(sandbox.evaluate("new Date(0).getTimezoneOffset()", scope()).asInt()).isZero();
  }

  @Test
  void should_give_the_same_outputs_for_the_same_inputs() {
    String expression =
        "({r: [Math.random(), Math.random()], t: Date.now(), d: new Date().toString(),"
            + " s: input.topic.toUpperCase()})";
    JsonNode first;
    JsonNode second;
    try (ExpressionSandbox one = new ExpressionSandbox(() -> NOW, new Random(7)::nextDouble)) {
      first = one.evaluate(expression, scope());
    }
    try (ExpressionSandbox two = new ExpressionSandbox(() -> NOW, new Random(7)::nextDouble)) {
      second = two.evaluate(expression, scope());
    }

    assertThat(first).isEqualTo(second);
  }

  // --- escapes refused ----------------------------------------------------------------------

  @Test
  void should_refuse_java_host_access() {
    ExpressionException e = failure(sandbox, "Java.type('java.lang.System').exit(1)");

    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(e.getMessage()).contains("'Java' is not available");
  }

  @Test
  void should_refuse_polyglot_access() {
    ExpressionException e = failure(sandbox, "Polyglot.eval('js', '1')");

    assertThat(e.kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(e.getMessage()).contains("'Polyglot' is not available");
  }

  @Test
  void should_refuse_loading_files() {
    assertThat(failure(sandbox, "load('x.js')").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "loadWithNewGlobal({script: '1', name: 'x'})").kind())
        .isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "readFully('/etc/passwd')").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "read('/etc/passwd')").kind()).isEqualTo(Kind.FORBIDDEN);
  }

  @Test
  void should_refuse_printing_and_exiting() {
    assertThat(failure(sandbox, "print('hi')").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "console.log('hi')").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "quit()").kind()).isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "exit(1)").kind()).isEqualTo(Kind.FORBIDDEN);
  }

  @Test
  void should_not_define_any_forbidden_global() {
    for (String name : SandboxScripts.FORBIDDEN_GLOBALS) {
      assertThat(sandbox.evaluate("typeof " + name, scope()).asText())
          .as(name)
          .isEqualTo("undefined");
    }
    assertThat(sandbox.evaluate("typeof Graal + typeof globalThis.java", scope()).asText())
        .isEqualTo("undefinedundefined");
  }

  @Test
  void should_keep_the_original_date_out_of_reach() {
    String viaPrototype = "new (Object.getPrototypeOf(new Date(5)).constructor)().getTime()";

    assertThat(sandbox.evaluate(viaPrototype, scope()).asLong()).isEqualTo(NOW);
  }

  @Test
  void should_leave_no_path_to_host_classes_through_eval_or_function() {
    assertThat(failure(sandbox, "eval('Java.type(\"java.lang.Runtime\")')").kind())
        .isEqualTo(Kind.FORBIDDEN);
    assertThat(failure(sandbox, "Function('return Java')()").kind()).isEqualTo(Kind.FORBIDDEN);
  }

  // --- limits -------------------------------------------------------------------------------

  @Test
  void should_stop_an_infinite_loop_at_the_statement_limit_and_stay_usable() {
    ExpressionException e = failure(sandbox, "(() => { while (true) {} })()");

    assertThat(e.kind()).isEqualTo(Kind.LIMIT);
    assertThat(e.getMessage()).isEqualTo("expression exceeded the statement limit (100000)");
    assertThat(sandbox.evaluate("input.count + 1", scope()).asInt()).isEqualTo(4);
  }

  @Test
  void should_stop_runaway_recursion() {
    ExpressionException e = failure(sandbox, "(function f(n) { return f(n + 1) + 1; })(0)");

    assertThat(e.kind()).isIn(Kind.RUNTIME, Kind.LIMIT);
    assertThat(sandbox.evaluate("1", scope()).asInt()).isEqualTo(1);
  }

  @Test
  void should_reset_the_statement_count_before_each_evaluation() {
    SandboxLimits small = new SandboxLimits(10_000, Duration.ofSeconds(5), 1 << 20);
    try (ExpressionSandbox limited = new ExpressionSandbox(() -> NOW, () -> 0.5, small)) {
      String sum = "(() => { let s = 0; for (let i = 0; i < 1000; i++) s += i; return s; })()";
      for (int i = 0; i < 20; i++) {
        assertThat(limited.evaluate(sum, scope()).asInt()).isEqualTo(499_500);
      }
    }
  }

  @Test
  void should_cancel_work_no_deterministic_limit_counts_at_the_time_limit_and_stay_usable() {
    ExpressionException e = failure(sandbox,
        "(() => { const s = 'x'.repeat(1000000); let n = 0; for (let i = 0; i < 100000; i++) n += s.indexOf('y'); return n; })()");

    assertThat(e.kind()).isEqualTo(Kind.TIME_LIMIT);
    assertThat(e.getMessage()).isEqualTo("expression exceeded the time limit (500 ms)");
    assertThat(sandbox.evaluate("input.topic", scope()).asText()).isEqualTo("tides");
  }

  @Test
  void should_honour_a_configured_time_limit() {
    SandboxLimits quick = new SandboxLimits(Long.MAX_VALUE, Duration.ofMillis(100), 1 << 20);
    try (ExpressionSandbox limited = new ExpressionSandbox(() -> NOW, () -> 0.5, quick)) {
      ExpressionException e =
          catchThrowableOfType(
              ExpressionException.class,
              () -> limited.evaluate("(() => { while (true) {} })()", scope()));

      assertThat(e.kind()).isEqualTo(Kind.TIME_LIMIT);
      assertThat(e.getMessage()).isEqualTo("expression exceeded the time limit (100 ms)");
      assertThat(limited.evaluate("2 + 2", scope()).asInt()).isEqualTo(4);
    }
  }

  @Test
  void should_match_a_classic_catastrophic_regex_without_hanging() {
    assertThat(sandbox.test("/(x+x+)+y/.test('x'.repeat(40))", scope())).isFalse();
  }

  @Test
  void should_stop_an_infinite_loop_in_a_condition_and_in_a_template() {
    assertThatThrownBy(() -> sandbox.test("(() => { for (;;) {} })()", scope()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("statement limit");
    Template looping = Template.parse("a ${(() => { for (;;) {} })()}");
    assertThatThrownBy(() -> sandbox.render(looping, scope()))
        .isInstanceOf(ExpressionException.class)
        .hasMessageContaining("statement limit");
    assertThat(sandbox.render(Template.parse("a ${input.count}"), scope())).isEqualTo("a 3");
  }

  @Test
  void should_recompile_cached_expressions_after_the_context_is_rebuilt() {
    assertThat(sandbox.evaluate("input.count", scope()).asInt()).isEqualTo(3);
    failure(sandbox, "(() => { while (true) {} })()");

    assertThat(sandbox.evaluate("input.count", scope()).asInt()).isEqualTo(3);
    assertThat(sandbox.evaluate("Math.random()", scope()).asDouble()).isEqualTo(0.5);
    assertThat(sandbox.evaluate("Date.now()", scope()).asLong()).isEqualTo(NOW);
  }

  @Test
  void should_refuse_a_result_over_the_size_cap() {
    ExpressionException e = failure(sandbox, "'x'.repeat(1024 * 1024 + 1)");

    assertThat(e.kind()).isEqualTo(Kind.LIMIT);
    assertThat(e.getMessage()).contains("size cap (1048576 characters)");
    assertThat(sandbox.evaluate("'x'.repeat(1000).length", scope()).asInt()).isEqualTo(1000);
  }

  @Test
  void should_refuse_a_rendered_template_over_the_size_cap() {
    SandboxLimits small = new SandboxLimits(1_000_000, Duration.ofMillis(500), 10);
    try (ExpressionSandbox limited = new ExpressionSandbox(() -> NOW, () -> 0.5, small)) {
      assertThat(limited.render(Template.parse("${'abcde'}${'abcde'}"), scope()))
          .isEqualTo("abcdeabcde");
      assertThatThrownBy(() -> limited.render(Template.parse("${'abcde'}${'abcde'}!"), scope()))
          .isInstanceOf(ExpressionException.class)
          .hasMessageContaining("size cap (10 characters)");
    }
  }

  @Test
  void should_cut_a_huge_error_message() {
    ExpressionException e = failure(sandbox, "(() => { throw new Error('x'.repeat(100000)); })()");

    assertThat(e.kind()).isEqualTo(Kind.RUNTIME);
    assertThat(e.getMessage().length()).isLessThan(3_000);
  }

  // --- lifecycle ----------------------------------------------------------------------------

  @Test
  void should_refuse_to_evaluate_after_close() {
    sandbox.evaluate("1", scope());
    sandbox.close();

    assertThat(failure(sandbox, "1").getMessage()).contains("closed");
  }

  @Test
  void should_allow_closing_twice_and_closing_unused() {
    ExpressionSandbox unused = new ExpressionSandbox(() -> NOW, () -> 0.5);
    unused.close();
    unused.close();
  }

  @Test
  void should_report_a_failing_random_source_as_an_expression_error() {
    try (ExpressionSandbox broken =
        new ExpressionSandbox(
            () -> NOW,
            () -> {
              throw new IllegalStateException("no randomness here");
            })) {
      ExpressionException e = failure(broken, "Math.random()");

      assertThat(e.kind()).isEqualTo(Kind.RUNTIME);
      assertThat(e.getMessage()).contains("random source failed");
    }
  }

  @Test
  void should_warm_up_without_failing() {
    ExpressionSandbox.warmUp();
  }

  @Test
  void should_refuse_limits_that_are_not_positive() {
    assertThatThrownBy(() -> new SandboxLimits(0, Duration.ofMillis(1), 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SandboxLimits(1, Duration.ZERO, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new SandboxLimits(1, Duration.ofMillis(1), 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void should_replace_only_the_named_scope_field() {
    Scope base = scope();
    Scope changed = base.withOutput(json("1")).withItem(json("2"));

    assertThat(changed.output()).isEqualTo(json("1"));
    assertThat(changed.item()).isEqualTo(json("2"));
    assertThat(changed.input()).isSameAs(base.input());
    assertThat(changed.vars()).isSameAs(base.vars());
  }

  @Test
  void should_not_print_the_interpreter_only_warning() {
    PrintStream originalErr = System.err;
    PrintStream originalOut = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    PrintStream capture = new PrintStream(captured, true, StandardCharsets.UTF_8);
    try {
      System.setErr(capture);
      System.setOut(capture);
      try (ExpressionSandbox fresh = new ExpressionSandbox(() -> NOW, () -> 0.5)) {
        fresh.evaluate("1 + 1", scope());
      }
    } finally {
      System.setErr(originalErr);
      System.setOut(originalOut);
    }

    assertThat(captured.toString(StandardCharsets.UTF_8)).doesNotContain("interpreter");
  }
}
