package dev.agentflow.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Sandboxes borrow JavaScript contexts for one evaluation at a time. */
class ContextPoolTest {

  @Test
  void should_lend_the_same_context_to_one_run_after_another_instead_of_creating_one_per_run() {
    new ExpressionSandbox(() -> 0L, () -> 0.5).evaluate("1 + 1", Scope.EMPTY);
    int before = ContextPool.created();

    for (int run = 0; run < 50; run++) {
      ExpressionSandbox sandbox = new ExpressionSandbox(() -> 0L, () -> 0.5);
      assertThat(sandbox.evaluate("[1, 2].map(x => x * 2).length", Scope.EMPTY).asInt()).isEqualTo(2);
    }

    assertThat(ContextPool.created() - before).as("contexts created for 50 runs evaluated one after another").isZero();
    assertThat(ContextPool.idle()).isPositive();
  }

  @Test
  void should_give_each_evaluation_the_clock_and_random_source_of_its_own_run_when_runs_share_a_context() {
    ExpressionSandbox low = new ExpressionSandbox(() -> 1_000L, () -> 0.25);
    ExpressionSandbox high = new ExpressionSandbox(() -> 2_000L, () -> 0.75);
    List<String> seen = new ArrayList<>();

    for (int i = 0; i < 3; i++) {
      seen.add(low.evaluate("[Math.random(), Date.now()]", Scope.EMPTY).toString());
      seen.add(high.evaluate("[Math.random(), Date.now()]", Scope.EMPTY).toString());
    }

    assertThat(seen).containsExactly("[0.25,1000]", "[0.75,2000]", "[0.25,1000]", "[0.75,2000]", "[0.25,1000]",
        "[0.75,2000]");
  }

  @Test
  void should_not_lend_again_a_context_an_evaluation_broke() {
    SandboxLimits tight = new SandboxLimits(200_000, SandboxLimits.DEFAULTS.timeout(),
        SandboxLimits.DEFAULTS.maxResultChars(), SandboxLimits.DEFAULTS.allocation());
    ExpressionSandbox sandbox = new ExpressionSandbox(() -> 0L, () -> 0.5, tight);
    sandbox.evaluate("1", Scope.EMPTY);
    int idleBefore = ContextPool.idle();

    try {
      sandbox.evaluate("(() => { let i = 0; while (true) { i++; } })()", Scope.EMPTY);
    } catch (ExpressionException expected) {
      // the statement limit
    }

    assertThat(ContextPool.idle()).isEqualTo(idleBefore - 1);
    assertThat(sandbox.evaluate("[1, 2, 3].length", Scope.EMPTY).asInt()).isEqualTo(3);
  }
}
