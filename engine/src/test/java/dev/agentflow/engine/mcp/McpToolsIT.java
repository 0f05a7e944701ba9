package dev.agentflow.engine.mcp;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.Warmup;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Graphs using the tools of real MCP servers, end to end on the interpreter. */
class McpToolsIT {

  @TempDir Path tempDir;

  @Test
  void should_call_an_mcp_tool_from_a_tool_node_and_record_the_servers_tool_list_once() throws Exception {
    String graph = """
        apiVersion: agentflow/v1
        name: mcp-echo
        version: 1
        start: first
        nodes:
          first: {kind: tool, tool: mcp.everything/echo, arguments: {message: "hi ${input.who}"}, next: second}
          second: {kind: tool, tool: mcp.everything/get-sum, arguments: {a: 2, b: 3}, next: done}
          done: {kind: end, output: "({echo: nodes.first.output, sum: nodes.second.output})"}
        """;
    try (McpHarness harness = new McpHarness(tempDir, null, Map.of("everything", McpTestServers.everything()), Map.of())) {
      WorkflowStub stub = harness.start(graph, "{\"who\": \"there\"}", "mcp-echo");
      RunResult result = stub.getResult(RunResult.class);

      assertThat(result.output().path("echo").asText()).isEqualTo("Echo: hi there");
      assertThat(result.output().path("sum").toString()).contains("5");
      WorkflowExecutionHistory history = harness.client().fetchHistory("mcp-echo");
      List<String> activities = history.getEvents().stream()
          .filter(event -> event.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED)
          .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
          .toList();
      assertThat(activities).containsExactly("SnapshotMcpTools", "CallMcpTool", "CallMcpTool");
      Warmup.run();
      WorkflowReplayer.replayWorkflowExecution(history, AgentGraphWorkflowImpl.class);
    }
  }
}
