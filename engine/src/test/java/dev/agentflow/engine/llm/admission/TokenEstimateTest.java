package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.ChatCall;
import dev.agentflow.engine.llm.ChatMessage;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class TokenEstimateTest {

  private static ModelSpec model(Integer maxTokens) {
    return new ModelSpec("openai", "gpt", null, null, null, maxTokens, Duration.ofSeconds(5), null);
  }

  private static ChatCall call(Integer maxTokens, String... texts) {
    List<ChatMessage> messages = java.util.Arrays.stream(texts).map(ChatMessage::user).toList();
    return new ChatCall(messages, model(maxTokens), List.of(), null, "g", "n", 0);
  }

  @Test
  void should_reserve_the_prompt_at_one_token_per_three_characters_plus_framing_and_the_completion_limit() {
    // 300 characters = 100 tokens, 4 for the message, 4 for the reply's framing, 200 of completion
    assertThat(TokenEstimate.of(call(200, "x".repeat(300)))).isEqualTo(100 + 4 + 4 + 200);
  }

  @Test
  void should_reserve_the_default_completion_when_the_model_sets_no_max_tokens() {
    assertThat(TokenEstimate.of(call(null, "hi"))).isEqualTo(1 + 4 + 4 + TokenEstimate.DEFAULT_COMPLETION);
  }

  @Test
  void should_grow_with_every_message_of_the_conversation() {
    assertThat(TokenEstimate.of(call(10, "a".repeat(30), "b".repeat(30))))
        .isGreaterThan(TokenEstimate.of(call(10, "a".repeat(30))));
  }
}
