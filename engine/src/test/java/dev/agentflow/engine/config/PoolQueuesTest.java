package dev.agentflow.engine.config;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.AgentflowWorkers;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.RunSearchAttributes;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.WorkerFactoryOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PoolQueuesTest {

  private static final String GRAPH =
      """
      apiVersion: agentflow/v1
      name: pools
      version: 1
      models:
        m: {provider: offline, model: scripted}
      start: agent
      nodes:
        agent: {kind: llm, model: m, prompt: "add", tools: [calculator], next: done}
        done: {kind: end, output: "nodes.agent.output"}
      """;

  private static final String SCRIPT =
      """
      graph: pools
      replies:
        agent:
          - toolCalls: [{name: calculator, arguments: {expression: "1 + 2"}}]
          - content: "3"
      """;

  @Test
  void should_name_the_pool_after_the_provider_and_the_queues_after_the_workflow_queue() {
    ModelSpec openai = new ModelSpec("openai", "gpt-4.1", null, null, null, null, null, null);
    ModelSpec unnamed = new ModelSpec(null, "gpt-4.1", null, null, null, null, null, null);

    assertThat(TaskQueues.poolOf(openai)).isEqualTo("openai");
    assertThat(TaskQueues.poolOf(unnamed)).as("no provider means openai").isEqualTo("openai");
    assertThat(ActivityOptionsFactory.forModel("plan", "smart", openai).getTaskQueue()).isEqualTo("agentflow-llm-openai");
    assertThat(ActivityOptionsFactory.forModel("plan", "smart", openai, "prod").getTaskQueue()).isEqualTo("prod-llm-openai");
    assertThat(ActivityOptionsFactory.forTool("plan", "calculator", ToolSettings.DEFAULT).getTaskQueue()).isEqualTo("agentflow-tools");
    assertThat(ActivityOptionsFactory.forTool("plan", "calculator", null, "prod").getTaskQueue()).isEqualTo("prod-tools");
  }

  @Test
  void should_schedule_llm_calls_on_the_pool_queue_and_tools_on_the_tool_queue(@TempDir Path dir) throws Exception {
    List<HistoryEvent> history = runOnQueue(dir, AgentGraphWorkflow.TASK_QUEUE, AgentflowConfig.defaults());

    assertThat(scheduledQueues(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .containsExactly("agentflow-llm-offline", "agentflow-tools", "agentflow-llm-offline");
  }

  @Test
  void should_keep_the_activities_of_a_deployment_on_another_workflow_queue_apart(@TempDir Path dir) throws Exception {
    List<HistoryEvent> history = runOnQueue(dir, "team-b", AgentflowConfig.defaults().withTaskQueue("team-b"));

    assertThat(scheduledQueues(history, EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED))
        .containsExactly("team-b-llm-offline", "team-b-tools", "team-b-llm-offline");
  }

  @Test
  void should_size_the_worker_factory_from_the_workflow_settings() {
    AgentflowConfig settings = ConfigLoader.fromYaml(
        "workflows: {cacheSize: 1200, maxThreads: 2500, virtualThreads: false}", "a.yaml", Map.of());

    WorkerFactoryOptions options = AgentflowWorkers.factoryOptions(settings);

    assertThat(options.getWorkflowCacheSize()).isEqualTo(1200);
    assertThat(options.getMaxWorkflowThreadCount()).isEqualTo(2500);
    assertThat(options.isUsingVirtualWorkflowThreads()).isFalse();
  }

  private static List<HistoryEvent> runOnQueue(Path dir, String queue, AgentflowConfig settings) throws Exception {
    Path script = dir.resolve("pools.offline.yaml");
    Files.writeString(script, SCRIPT);
    EngineConfig config = new EngineConfig(
        ToolRegistry.loadFromClasspath(), new DirectoryBlobStore(dir.resolve("blobs")), new SecretResolver(Map.of()),
        ScriptLibrary.loadFile(script), true, settings);
    try (TestWorkflowEnvironment environment = TestWorkflowEnvironment.newInstance()) {
      RunSearchAttributes.definitions().forEach(environment::registerSearchAttribute);
      AgentflowWorkers.register(environment.getWorkerFactory(), queue, config);
      environment.start();
      WorkflowStub stub = environment.getWorkflowClient().newUntypedWorkflowStub(
          AgentGraphWorkflow.TYPE, WorkflowOptions.newBuilder().setWorkflowId("pools-" + queue).setTaskQueue(queue).build());
      stub.start(new RunRequest(TextNode.valueOf(GRAPH), new ObjectMapper().createObjectNode(), new RunOptions("pools.yaml", null)));
      assertThat(stub.getResult(RunResult.class).output().asText()).isEqualTo("3");
      return environment.getWorkflowClient().fetchHistory("pools-" + queue).getHistory().getEventsList();
    }
  }

  private static List<String> scheduledQueues(List<HistoryEvent> history, EventType type) {
    return history.stream()
        .filter(event -> event.getEventType() == type)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getTaskQueue().getName())
        .toList();
  }
}
