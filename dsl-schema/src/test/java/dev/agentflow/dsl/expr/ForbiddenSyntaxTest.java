package dev.agentflow.dsl.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The syntax expressions may not use: async functions, await, import() and BigInt literals. */
class ForbiddenSyntaxTest {

  private static Optional<String> check(String expression) {
    return ExpressionSyntax.checkAllowed(expression);
  }

  @Test
  void should_refuse_an_async_function_with_its_position() {
    assertThat(check("(async () => { while (true) await null; })(), 1"))
        .hasValue("line 1, column 2: 'async' is not available in expressions (no async functions, await or import:"
            + " their work would run after the value is taken, unbounded)");
    assertThat(check("[1].map(async function (x) { return x; })")).isPresent();
    assertThat(check("({ async m() { return 1; } }).m()")).isPresent();
  }

  @Test
  void should_refuse_await_and_dynamic_import() {
    assertThat(check("1 +\n  await x")).get().asString().startsWith("line 2, column 3: 'await'");
    assertThat(check("import('fs')")).get().asString().contains("'import'");
  }

  @Test
  void should_refuse_bigint_literals() {
    assertThat(check("10n ** 10000000n")).hasValue("line 1, column 1: BigInt literals such as 10n are not available in expressions");
    assertThat(check("1 + 0x1Fn")).get().asString().contains("0x1Fn");
  }

  @Test
  void should_allow_the_words_as_property_names_keys_and_inside_strings_comments_and_regexes() {
    assertThat(check("output.async || output?.await || x.import")).isEmpty();
    assertThat(check("({async: 1, await: 2, import: 3})")).isEmpty();
    assertThat(check("'async ' + \"await\" + `import ${input.name} async`")).isEmpty();
    assertThat(check("/* async */ 1 // await\n + 2")).isEmpty();
    assertThat(check("/async|await/.test(input.text)")).isEmpty();
    assertThat(check("input.n / 2 + input.m / 3")).isEmpty();
  }

  @Test
  void should_allow_ordinary_numbers_and_names_ending_in_n() {
    assertThat(check("1.5e-3 + 10 + .5 + 0xff + 1_000 + nodes.plan.output.n + Math.min(1, 2)")).isEmpty();
  }

  @Test
  void should_find_forbidden_syntax_inside_a_template_literal_expression() {
    assertThat(check("`a ${ {x: 1}.x } b ${ (async () => 1)() }`")).get().asString().contains("'async'");
    assertThat(check("`a ${ {x: `in ${ {y: 2}.y }`}.x } b` + 1n")).get().asString().contains("BigInt");
  }
}
