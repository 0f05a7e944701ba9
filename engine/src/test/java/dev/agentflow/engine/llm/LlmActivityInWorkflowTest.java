package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.testing.InMemoryBlobStore;
import dev.agentflow.engine.testing.StubOpenAiServer;
import dev.agentflow.engine.testing.StubResponse;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The LLM activity under Temporal's retry policy (from {@link ActivityOptionsFactory}) against the
 * stub over real HTTP. Time skipping is off: the waits are real, so they are kept to seconds.
 */
class LlmActivityInWorkflowTest {

  private static final String QUEUE = "llm-test";

  /** A test-only workflow that makes one model call with the factory's options. */
  @WorkflowInterface
  public interface CallOnce {
    @WorkflowMethod
    LlmCallResult call(LlmCallRequest request);
  }

  public static class CallOnceImpl implements CallOnce {
    @Override
    public LlmCallResult call(LlmCallRequest request) {
      LlmActivities llm =
          Workflow.newActivityStub(
              LlmActivities.class,
              ActivityOptions.newBuilder(ActivityOptionsFactory.forModel(request.nodeId(), request.modelName(), request.model()))
                  .setTaskQueue(QUEUE) // this test's one worker serves the activities too
                  .build());
      return llm.callLlm(request);
    }
  }

  private final StubOpenAiServer stub = StubOpenAiServer.start();
  private TestWorkflowEnvironment env;

  @BeforeEach
  void startTemporal() {
    env = TestWorkflowEnvironment.newInstance(TestEnvironmentOptions.newBuilder().setUseTimeskipping(false).build());
    RunSearchAttributes.definitions().forEach(env::registerSearchAttribute);
    Worker worker = env.newWorker(QUEUE);
    worker.registerWorkflowImplementationTypes(CallOnceImpl.class);
    worker.registerActivitiesImplementations(
        new LlmActivitiesImpl(
            new InMemoryBlobStore(),
            ProviderRegistry.standard(TestModels.secrets(), TestModels.stubPolicy(), ScriptLibrary.empty()),
            ToolRegistry.of(List.of())));
    env.start();
  }

  @AfterEach
  void stop() {
    env.close();
    stub.close();
  }

  private LlmCallResult run(Duration modelTimeout) {
    ModelSpec model = TestModels.stubModel(stub, modelTimeout);
    LlmCallRequest request =
        new LlmCallRequest("graph", "agent", 0, "smart", model, null, List.of(ChatMessage.user("hi")), List.of(), null);
    CallOnce workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                CallOnce.class,
                WorkflowOptions.newBuilder()
                    .setTaskQueue(QUEUE)
                    .setWorkflowExecutionTimeout(Duration.ofSeconds(30))
                    .build());
    return workflow.call(request);
  }

  @Test
  void should_wait_for_retry_after_before_retrying_a_rate_limited_call() {
    stub.enqueue(StubResponse.rateLimited("3"), StubResponse.text("finally"));

    LlmCallResult result = run(Duration.ofSeconds(5));

    assertThat(result.content()).isEqualTo("finally");
    assertThat(stub.requestCount()).isEqualTo(2);
    Duration gap = Duration.between(stub.requests().get(0).receivedAt(), stub.requests().get(1).receivedAt());
    assertThat(gap).as("retry waited for Retry-After, not the 200 ms initial interval").isGreaterThanOrEqualTo(Duration.ofSeconds(3));
  }

  @Test
  void should_fail_the_workflow_without_retrying_a_content_filter_error() {
    stub.enqueue(StubResponse.contentFilter());

    WorkflowFailedException e = catchThrowableOfType(WorkflowFailedException.class, () -> run(Duration.ofSeconds(5)));

    assertThat(e.getCause()).isInstanceOf(ActivityFailure.class);
    ApplicationFailure cause = (ApplicationFailure) e.getCause().getCause();
    assertThat(cause.getType()).isEqualTo("ContentFilterError");
    assertThat(cause.getOriginalMessage()).doesNotContain(TestModels.KEY);
    assertThat(stub.requestCount()).isEqualTo(1);
  }

  @Test
  void should_retry_a_server_error_and_succeed() {
    stub.enqueue(StubResponse.serverError(), StubResponse.text("recovered"));

    assertThat(run(Duration.ofSeconds(5)).content()).isEqualTo("recovered");
    assertThat(stub.requestCount()).isEqualTo(2);
  }

  @Test
  void should_retry_a_reply_slower_than_the_timeout_and_succeed() {
    stub.enqueue(StubResponse.text("too late").delayedBy(Duration.ofSeconds(4)), StubResponse.text("in time"));

    assertThat(run(Duration.ofSeconds(2)).content()).isEqualTo("in time");
    assertThat(stub.requestCount()).isEqualTo(2);
  }
}
