package dev.agentflow.dsl.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class SyntaxMemoTest {

  @Test
  void an_expression_parsed_once_is_not_parsed_again() {
    String expression = "input.x + " + UUID.randomUUID().hashCode();
    AtomicInteger parses = new AtomicInteger();

    SyntaxMemo.problem(expression, text -> { parses.incrementAndGet(); return Optional.empty(); });
    Optional<String> again = SyntaxMemo.problem(expression, text -> { parses.incrementAndGet(); return Optional.of("x"); });

    assertThat(parses).hasValue(1);
    assertThat(again).isEmpty();
  }

  @Test
  void a_problem_is_remembered_as_a_problem() {
    String expression = "input.( " + UUID.randomUUID();

    SyntaxMemo.problem(expression, text -> Optional.of("SyntaxError: Unexpected token"));

    assertThat(SyntaxMemo.problem(expression, text -> Optional.empty())).contains("SyntaxError: Unexpected token");
  }
}
