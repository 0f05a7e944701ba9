package dev.agentflow.dsl.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ExpressionDepthTest {

  @Test
  void should_find_the_bracket_that_opens_one_level_too_many() {
    assertThat(ExpressionDepth.firstTooDeep("f([{a: (1)}])", 3)).hasValue(7);
  }

  @Test
  void should_accept_nesting_exactly_at_the_limit() {
    assertThat(ExpressionDepth.firstTooDeep("f([{a: 1}])", 3)).isEmpty();
  }

  @Test
  void should_not_count_brackets_inside_strings_and_comments() {
    assertThat(ExpressionDepth.firstTooDeep("'(((' + \"[[[\" /* {{{ */ + (1)", 1)).isEmpty();
  }

  @Test
  void should_count_the_expression_parts_of_template_literals_but_not_their_text() {
    assertThat(ExpressionDepth.firstTooDeep("`((( ${(1)} )))`", 2)).isEmpty();
    assertThat(ExpressionDepth.firstTooDeep("`${(((1)))}`", 2)).hasValue(4);
  }

  @Test
  void should_report_a_too_deep_expression_as_a_syntax_problem_without_parsing_it() {
    assertThat(ExpressionSyntax.check("(".repeat(1000) + "1" + ")".repeat(1000)))
        .hasValueSatisfying(problem -> assertThat(problem).startsWith("line 1, column 65: brackets nested more than 64"));
  }
}
