package dev.agentflow.dsl.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentflow.dsl.expr.Template.Expression;
import dev.agentflow.dsl.expr.Template.Literal;
import org.junit.jupiter.api.Test;

class TemplateTest {

  @Test
  void should_split_literals_and_expressions_in_order() {
    Template template = Template.parse("Plan research on ${input.topic}. ${vars.feedback ?? ''}");

    assertThat(template.parts())
        .containsExactly(
            new Literal("Plan research on "),
            new Expression("input.topic", 19),
            new Literal(". "),
            new Expression("vars.feedback ?? ''", 35));
    assertThat(template.isConstant()).isFalse();
  }

  @Test
  void should_point_the_offset_at_the_first_character_of_the_expression() {
    String text = "ab${ x }cd";
    Expression expression = (Expression) Template.parse(text).parts().get(1);

    assertThat(expression.source()).isEqualTo(" x ");
    assertThat(text.substring(expression.offset())).startsWith(" x }");
  }

  @Test
  void should_treat_text_without_expressions_as_constant() {
    Template template = Template.parse("just text, $5 and {braces}");

    assertThat(template.parts()).containsExactly(new Literal("just text, $5 and {braces}"));
    assertThat(template.isConstant()).isTrue();
  }

  @Test
  void should_have_no_parts_for_an_empty_template() {
    Template template = Template.parse("");

    assertThat(template.parts()).isEmpty();
    assertThat(template.isConstant()).isTrue();
  }

  @Test
  void should_parse_a_template_that_is_only_an_expression() {
    assertThat(Template.parse("${a}").parts()).containsExactly(new Expression("a", 2));
  }

  @Test
  void should_keep_adjacent_expressions_apart() {
    assertThat(Template.parse("${a}${b}").parts())
        .containsExactly(new Expression("a", 2), new Expression("b", 6));
  }

  @Test
  void should_keep_a_dollar_not_followed_by_a_brace_literal() {
    assertThat(Template.parse("costs $3, $ ${price}$").parts())
        .containsExactly(
            new Literal("costs $3, $ "), new Expression("price", 14), new Literal("$"));
  }

  @Test
  void should_balance_braces_of_an_object_literal() {
    assertThat(Template.parse("v=${ {a:1}.a }!").parts())
        .containsExactly(new Literal("v="), new Expression(" {a:1}.a ", 4), new Literal("!"));
  }

  @Test
  void should_balance_nested_braces_of_arrow_functions() {
    assertThat(Template.parse("${ [1,2].map(x => { return {v: x}; }) }").parts())
        .containsExactly(new Expression(" [1,2].map(x => { return {v: x}; }) ", 2));
  }

  @Test
  void should_skip_braces_inside_double_quoted_strings() {
    assertThat(Template.parse("${ \"}\" }").parts()).containsExactly(new Expression(" \"}\" ", 2));
  }

  @Test
  void should_skip_braces_and_escaped_quotes_inside_single_quoted_strings() {
    assertThat(Template.parse("${ 'it\\'s }' } end").parts())
        .containsExactly(new Expression(" 'it\\'s }' ", 2), new Literal(" end"));
  }

  @Test
  void should_skip_template_literals_with_nested_expressions() {
    String text = "x${ `a}${ {b:1}.b }}` }y";

    assertThat(Template.parse(text).parts())
        .containsExactly(
            new Literal("x"), new Expression(" `a}${ {b:1}.b }}` ", 3), new Literal("y"));
  }

  @Test
  void should_skip_braces_inside_comments() {
    assertThat(Template.parse("${ a /* } */ }").parts())
        .containsExactly(new Expression(" a /* } */ ", 2));
    assertThat(Template.parse("${ a // }\n}").parts())
        .containsExactly(new Expression(" a // }\n", 2));
  }

  @Test
  void should_turn_an_escaped_dollar_brace_into_literal_text() {
    Template template = Template.parse("write \\${name} or ${name}");

    assertThat(template.parts())
        .containsExactly(new Literal("write ${name} or "), new Expression("name", 20));
  }

  @Test
  void should_be_constant_when_every_dollar_brace_is_escaped() {
    Template template = Template.parse("\\${a}");

    assertThat(template.parts()).containsExactly(new Literal("${a}"));
    assertThat(template.isConstant()).isTrue();
  }

  @Test
  void should_keep_other_backslashes_literal() {
    assertThat(Template.parse("a\\nb\\").parts()).containsExactly(new Literal("a\\nb\\"));
  }

  @Test
  void should_refuse_an_unterminated_expression_with_its_offset() {
    assertThatThrownBy(() -> Template.parse("hello ${input.name"))
        .isInstanceOf(TemplateSyntaxException.class)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("unterminated")
        .hasMessageContaining("offset 6")
        .extracting(e -> ((TemplateSyntaxException) e).offset())
        .isEqualTo(6);
  }

  @Test
  void should_refuse_an_expression_whose_string_is_not_closed() {
    assertThatThrownBy(() -> Template.parse("a ${ '} b"))
        .isInstanceOf(TemplateSyntaxException.class)
        .extracting(e -> ((TemplateSyntaxException) e).offset())
        .isEqualTo(2);
  }

  @Test
  void should_refuse_an_expression_with_unbalanced_braces() {
    assertThatThrownBy(() -> Template.parse("${ {a:1 }"))
        .isInstanceOf(TemplateSyntaxException.class)
        .extracting(e -> ((TemplateSyntaxException) e).offset())
        .isEqualTo(0);
  }

  @Test
  void should_refuse_an_unterminated_template_literal() {
    assertThatThrownBy(() -> Template.parse("${ `abc }"))
        .isInstanceOf(TemplateSyntaxException.class);
  }

  @Test
  void should_refuse_an_empty_expression() {
    assertThatThrownBy(() -> Template.parse("a ${  } b"))
        .isInstanceOf(TemplateSyntaxException.class)
        .hasMessageContaining("empty")
        .extracting(e -> ((TemplateSyntaxException) e).offset())
        .isEqualTo(2);
  }

  @Test
  void should_return_immutable_parts() {
    Template template = Template.parse("a${b}");

    assertThatThrownBy(() -> template.parts().add(new Literal("x")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void should_compare_templates_by_text() {
    assertThat(Template.parse("a${b}")).isEqualTo(Template.parse("a${b}"));
    assertThat(Template.parse("a${b}").text()).isEqualTo("a${b}");
  }
}
