package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.RetrySpec;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class ActivityOptionsFactoryTest {

  @Test
  void should_use_the_seed_policy_when_the_model_has_no_retry_or_timeout() {
    ActivityOptions options =
        ActivityOptionsFactory.forModel("plan", "smart", new ModelSpec("openai", "gpt-4.1", null, null, null, null, null, null));

    assertThat(options.getStartToCloseTimeout())
        .isEqualTo(ModelSpec.DEFAULT_TIMEOUT.plus(ActivityOptionsFactory.ADMISSION_ALLOWANCE));
    assertThat(options.getRetryOptions().getInitialInterval()).isEqualTo(Duration.ofSeconds(2));
    assertThat(options.getRetryOptions().getBackoffCoefficient()).isEqualTo(2.0);
    assertThat(options.getRetryOptions().getMaximumInterval()).isEqualTo(Duration.ofSeconds(30));
    assertThat(options.getRetryOptions().getMaximumAttempts()).isEqualTo(5);
  }

  @Test
  void should_map_the_model_timeout_and_retry_spec_and_always_add_the_non_retryable_types() {
    RetrySpec retry = new RetrySpec(Duration.ofSeconds(1), 3.0, Duration.ofSeconds(10), 7, List.of("MyError"));
    ModelSpec model = new ModelSpec("openai", "gpt-4.1", null, null, null, null, Duration.ofSeconds(120), retry);

    ActivityOptions options = ActivityOptionsFactory.forModel("review", "smart", model);

    assertThat(options.getStartToCloseTimeout()).isEqualTo(Duration.ofSeconds(120).plus(ActivityOptionsFactory.ADMISSION_ALLOWANCE));
    assertThat(options.getRetryOptions().getInitialInterval()).isEqualTo(Duration.ofSeconds(1));
    assertThat(options.getRetryOptions().getBackoffCoefficient()).isEqualTo(3.0);
    assertThat(options.getRetryOptions().getMaximumInterval()).isEqualTo(Duration.ofSeconds(10));
    assertThat(options.getRetryOptions().getMaximumAttempts()).isEqualTo(7);
    assertThat(options.getRetryOptions().getDoNotRetry())
        .contains(
            "ContentFilterError", "InvalidPromptError", "AuthenticationError", "ModelNotFound", "UnknownTool",
            "OfflineScriptMissing", "MyError")
        .doesNotContain("RateLimited", "ProviderUnavailable", "OutputSchemaMismatch");
    assertThat(options.getSummary()).contains("review", "smart", "gpt-4.1");
  }

  @Test
  void should_build_tool_options_from_tool_settings() {
    ToolSettings settings = new ToolSettings(Duration.ofSeconds(15), new RetrySpec(null, 0, null, 0, null));

    ActivityOptions options = ActivityOptionsFactory.forTool("research", "http_get", settings);

    assertThat(options.getStartToCloseTimeout()).isEqualTo(Duration.ofSeconds(15));
    assertThat(options.getRetryOptions().getMaximumAttempts()).as("0 means the default, not unlimited").isEqualTo(5);
    assertThat(options.getRetryOptions().getDoNotRetry()).contains("UnknownTool", "InvalidToolArguments");
    assertThat(options.getSummary()).contains("research", "http_get");
  }

  @Test
  void should_give_model_and_tool_calls_a_heartbeat_timeout_and_await_their_cancellation() {
    ModelSpec model = new ModelSpec("openai", "gpt-4.1", null, null, null, null, null, null);

    ActivityOptions llm = ActivityOptionsFactory.forModel("plan", "smart", model, "agentflow");
    ActivityOptions tool = ActivityOptionsFactory.forTool("plan", "http_get", ToolSettings.DEFAULT, "agentflow");

    for (ActivityOptions options : java.util.List.of(llm, tool)) {
      assertThat(options.getHeartbeatTimeout()).isEqualTo(ActivityOptionsFactory.HEARTBEAT_TIMEOUT);
      assertThat(options.getCancellationType())
          .isEqualTo(io.temporal.activity.ActivityCancellationType.WAIT_CANCELLATION_COMPLETED);
    }
  }

  @Test
  void should_build_the_options_runs_recorded_before_heartbeats_were_recorded_with() {
    ModelSpec model = new ModelSpec("openai", "gpt-4.1", null, null, null, null, null, null);

    ActivityOptions llm = ActivityOptionsFactory.forModel("plan", "smart", model, false);

    assertThat(llm.getHeartbeatTimeout()).isNull();
    assertThat(llm.getCancellationType()).isNull();
  }

  @Test
  void should_give_a_model_call_time_to_wait_for_its_pools_capacity_on_top_of_its_timeout_only_when_the_run_asks() {
    ModelSpec model = new ModelSpec("openai", "gpt-4.1", null, null, null, null, Duration.ofSeconds(30), null);

    ActivityOptions waiting = ActivityOptionsFactory.forModel("plan", "smart", model, true, true);
    ActivityOptions recordedBefore = ActivityOptionsFactory.forModel("plan", "smart", model, true, false);

    assertThat(waiting.getStartToCloseTimeout()).isEqualTo(Duration.ofSeconds(30).plus(Duration.ofMinutes(10)));
    assertThat(recordedBefore.getStartToCloseTimeout()).isEqualTo(Duration.ofSeconds(30));
  }
}
