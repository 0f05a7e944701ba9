package dev.agentflow.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A child run terminated by an operator: its parent's failure says so and gives the reason. The
 * parent's history holds only "terminated" (the reason is in the child's history), so the parent
 * reads it with an activity. (Temporal's in-memory test server does not tell a parent its child
 * was terminated, so this runs on the real server.)
 */
class ChildTerminationIT {

  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir Path tempDir;

  /** Sleeps for its {@code ms} argument (interrupted when cancelled). */
  private static final class SlowTool implements Tool {
    @Override
    public String name() {
      return "slow";
    }

    @Override
    public String description() {
      return "sleeps";
    }

    @Override
    public JsonNode parametersSchema() {
      return JsonNodeFactory.instance.objectNode().put("type", "object");
    }

    @Override
    public JsonNode call(ToolContext context) {
      try {
        Thread.sleep(context.arguments().path("ms").asLong());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
      return TextNode.valueOf("done");
    }
  }

  @Test
  void a_terminated_childs_reason_reaches_its_parents_failure() throws Exception {
    String queue = "child-termination-it-" + UUID.randomUUID().toString().substring(0, 8);
    try (InProcessWorkers workers = InProcessWorkers.start(ItEnvironment.temporalAddress(), queue, "{}",
        new DirectoryBlobStore(tempDir.resolve("blobs")), List.of(new SlowTool()))) {
      WorkflowStub parent = workers.client().newUntypedWorkflowStub("AgentGraph",
          WorkflowOptions.newBuilder().setTaskQueue(queue).setWorkflowId(queue).build());
      parent.start(new RunRequest(TextNode.valueOf("""
          apiVersion: agentflow/v1
          name: child-termination
          version: 1
          start: each
          nodes:
            each:
              kind: map
              items: "[1]"
              graph:
                start: work
                nodes:
                  work: {kind: tool, tool: slow, arguments: {ms: 60000}, next: done}
                  done: {kind: end}
              next: done
            done: {kind: end}
          """), JSON.createObjectNode(), new RunOptions("child-termination.yaml", null)));
      String child = awaitChild(workers, queue);

      workers.client().newUntypedWorkflowStub(child).terminate("an operator stopped it");

      assertThatThrownBy(() -> parent.getResult(60, TimeUnit.SECONDS, RunResult.class))
          .isInstanceOf(WorkflowFailedException.class)
          .satisfies(e -> {
            ApplicationFailure failure = (ApplicationFailure) e.getCause();
            assertThat(failure.getType()).isEqualTo("Terminated");
            assertThat(failure.getOriginalMessage())
                .startsWith("node 'each': branch '0' failed: the child run " + child + " was terminated by ")
                .endsWith(": an operator stopped it");
          });
    }
  }

  private static String awaitChild(InProcessWorkers workers, String parentId) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      for (HistoryEvent event : workers.client().fetchHistory(parentId).getEvents()) {
        if (event.hasChildWorkflowExecutionStartedEventAttributes()) {
          return event.getChildWorkflowExecutionStartedEventAttributes().getWorkflowExecution().getWorkflowId();
        }
      }
      Thread.sleep(100);
    }
    throw new AssertionError("the parent never started its child");
  }
}
