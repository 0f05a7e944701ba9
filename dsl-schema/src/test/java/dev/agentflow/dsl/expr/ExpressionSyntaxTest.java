package dev.agentflow.dsl.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpressionSyntaxTest {

  @Test
  void should_accept_valid_expressions() {
    assertThat(ExpressionSyntax.check("output.verdict === 'approve'")).isEmpty();
    assertThat(ExpressionSyntax.check("visits.plan < 3")).isEmpty();
    assertThat(ExpressionSyntax.check("vars.feedback ?? ''")).isEmpty();
    assertThat(ExpressionSyntax.check("{a: 1, b: [input?.x]}")).isEmpty();
    assertThat(ExpressionSyntax.check("nodes.list.output.map(x => x * 2)")).isEmpty();
    assertThat(ExpressionSyntax.check("`topic: ${input.topic}`")).isEmpty();
    assertThat(ExpressionSyntax.check("a,\n b")).isEmpty();
  }

  @Test
  void should_accept_an_expression_ending_in_a_line_comment() {
    assertThat(ExpressionSyntax.check("1 + 1 // two")).isEmpty();
  }

  @Test
  void should_accept_an_immediately_invoked_function_with_statements_inside() {
    String expression = "(() => { let s = 0; for (const x of [1,2]) s += x; return s; })()";

    assertThat(ExpressionSyntax.check(expression)).isEmpty();
  }

  @Test
  void should_report_a_missing_operand_with_its_position() {
    assertThat(ExpressionSyntax.check("1 + * 2"))
        .hasValueSatisfying(
            message -> assertThat(message).startsWith("line 1, column 5:").contains("*"));
  }

  @Test
  void should_report_the_line_inside_a_multi_line_expression() {
    assertThat(ExpressionSyntax.check("1 +\n2 +\n) 3"))
        .hasValueSatisfying(message -> assertThat(message).startsWith("line 3, column 1:"));
  }

  @Test
  void should_report_an_incomplete_expression_at_its_end() {
    assertThat(ExpressionSyntax.check("input.a +"))
        .hasValueSatisfying(
            message -> assertThat(message).startsWith("at the end of the expression:"));
  }

  @Test
  void should_refuse_an_empty_expression() {
    assertThat(ExpressionSyntax.check("")).isPresent();
    assertThat(ExpressionSyntax.check("   ")).isPresent();
  }

  @Test
  void should_refuse_statements() {
    assertThat(ExpressionSyntax.check("let x = 1")).isPresent();
    assertThat(ExpressionSyntax.check("return 1")).isPresent();
    assertThat(ExpressionSyntax.check("if (a) b")).isPresent();
  }

  @Test
  void should_refuse_text_that_closes_the_wrapper_early() {
    assertThat(ExpressionSyntax.check("1); globalThis.x = 1; (2"))
        .hasValueSatisfying(message -> assertThat(message).contains("not a single expression"));
    assertThat(ExpressionSyntax.check("1); }), (function() { return (2")).isPresent();
  }

  @Test
  void should_not_evaluate_while_checking() {
    assertThat(ExpressionSyntax.check("(() => { while (true) {} })()")).isEmpty();
  }

  @Test
  void should_wrap_the_expression_in_a_function_of_the_scope_names() {
    assertThat(ExpressionSyntax.wrap("x"))
        .isEqualTo(
            "(function(input, nodes, vars, visits, usage, run, output, item, index, review) { return (\nx\n); })");
    assertThat(ExpressionSyntax.SCOPE_NAMES)
        .containsExactly("input", "nodes", "vars", "visits", "usage", "run", "output", "item", "index",
            "review");
  }

  @Test
  void should_accept_a_template_whose_expressions_are_valid() {
    assertThat(ExpressionSyntax.checkTemplate("Plan ${input.topic}. ${vars.feedback ?? ''}"))
        .isEmpty();
    assertThat(ExpressionSyntax.checkTemplate("no expressions at all")).isEmpty();
  }

  @Test
  void should_name_the_offset_of_a_bad_expression_in_a_template() {
    assertThat(ExpressionSyntax.checkTemplate("ok ${input.a} bad ${input.b +}"))
        .hasValueSatisfying(
            message ->
                assertThat(message)
                    .startsWith("expression at offset 20: at the end of the expression"));
  }

  @Test
  void should_report_an_unterminated_template_expression() {
    assertThat(ExpressionSyntax.checkTemplate("hello ${input.name"))
        .hasValueSatisfying(
            message -> assertThat(message).contains("unterminated").contains("offset 6"));
  }
}
