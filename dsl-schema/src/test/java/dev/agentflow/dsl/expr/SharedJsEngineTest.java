package dev.agentflow.dsl.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SharedJsEngineTest {

  @Test
  void should_return_the_same_engine_every_time() {
    assertThat(SharedJsEngine.get()).isSameAs(SharedJsEngine.get());
  }

  @Test
  void should_warm_up_without_failing() {
    assertThatCode(SharedJsEngine::warmUp).doesNotThrowAnyException();
    assertThatCode(SharedJsEngine::warmUp).doesNotThrowAnyException();
  }
}
