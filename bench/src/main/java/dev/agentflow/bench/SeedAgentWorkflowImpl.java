package dev.agentflow.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's Go loop translated line by line: the message list lives in the workflow and goes to
 * every LLM call by value; each tool result is appended by value. No claim check, no blob store.
 * Activities go to {@code <workflow queue>-llm} and {@code <workflow queue>-tools}, as agentflow's do.
 */
public final class SeedAgentWorkflowImpl implements SeedAgentWorkflow {

  private static final ActivityOptions LLM_OPTIONS =
      ActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(60))
          .setRetryOptions(RetryOptions.newBuilder()
              .setInitialInterval(Duration.ofSeconds(2))
              .setBackoffCoefficient(2.0)
              .setMaximumInterval(Duration.ofSeconds(30))
              .setMaximumAttempts(5)
              .setDoNotRetry("ContentFilterError", "InvalidPromptError")
              .build())
          .build();

  private static final ActivityOptions TOOL_OPTIONS =
      ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofSeconds(30)).build();

  private final SeedActivities llm =
      Workflow.newActivityStub(SeedActivities.class,
          ActivityOptions.newBuilder(LLM_OPTIONS).setTaskQueue(llmQueue(Workflow.getInfo().getTaskQueue())).build());
  private final SeedActivities tools =
      Workflow.newActivityStub(SeedActivities.class,
          ActivityOptions.newBuilder(TOOL_OPTIONS).setTaskQueue(toolQueue(Workflow.getInfo().getTaskQueue())).build());

  static String llmQueue(String workflowQueue) {
    return workflowQueue + "-llm";
  }

  static String toolQueue(String workflowQueue) {
    return workflowQueue + "-tools";
  }

  @Override
  public Seed.AgentResult run(Seed.AgentInput input) {
    List<Seed.Message> messages = new ArrayList<>();
    messages.add(new Seed.Message("system", input.systemPrompt(), null));
    messages.add(new Seed.Message("user", input.userMessage(), null));
    for (int i = 0; i < input.maxIterations(); i++) {
      Seed.LlmResponse response = llm.callLlm(messages);
      if (response.done()) {
        return new Seed.AgentResult(response.content());
      }
      for (Seed.ToolCall call : response.toolCalls()) {
        try {
          Seed.ToolResult result = tools.executeTool(call);
          messages.add(new Seed.Message("tool", result.output(), call.id()));
        } catch (ActivityFailure failure) {
          messages.add(new Seed.Message("tool", "Error: " + failure.getMessage(), call.id()));
        }
      }
    }
    return new Seed.AgentResult("max iterations reached");
  }
}
