package dev.agentflow.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.AgentGraphWorkflowImpl;
import dev.agentflow.engine.workflow.Progress;
import dev.agentflow.engine.workflow.RunEventsPage;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.workflow.Workflow;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code agentflow replay} against a server holding a finished run: this build replays it, and a
 * deliberately non-deterministic build (one more timer before the graph starts) is caught, exit 1,
 * naming the run and the divergence.
 */
class ReplayCommandTest {

  @TempDir Path tempDir;

  private EmbeddedTemporal server;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  /** A build whose interpreter sleeps before interpreting: it emits a timer the recorded runs never did. */
  public static final class DriftingInterpreter implements AgentGraphWorkflow {
    private final AgentGraphWorkflowImpl delegate = new AgentGraphWorkflowImpl();

    @Override
    public RunResult run(RunRequest request) {
      Workflow.sleep(Duration.ofSeconds(1));
      return delegate.run(request);
    }

    @Override
    public Progress progress() {
      return delegate.progress();
    }

    @Override
    public RunEventsPage events(long fromOffset) {
      return delegate.events(fromOffset);
    }
  }

  @BeforeEach
  void runOneGraph() {
    EngineConfig config = new EngineConfig(ToolRegistry.loadFromClasspath(), new DirectoryBlobStore(tempDir.resolve("blobs")),
        new SecretResolver(Map.of()), ScriptLibrary.empty(), true);
    server = EmbeddedTemporal.start(config, AgentGraphWorkflow.TASK_QUEUE, 0);
    WorkflowStub run = server.client().newUntypedWorkflowStub(AgentGraphWorkflow.TYPE,
        WorkflowOptions.newBuilder().setWorkflowId("recorded-run").setTaskQueue(AgentGraphWorkflow.TASK_QUEUE).build());
    run.start(new RunRequest(TextNode.valueOf("""
        apiVersion: agentflow/v1
        name: echoer
        version: 1
        start: say
        nodes:
          say: {kind: tool, tool: echo, arguments: {message: "hi"}, next: done}
          done: {kind: end, output: "nodes.say.output"}
        """), new ObjectMapper().createObjectNode(), new RunOptions("echoer.yaml", null)));
    run.getResult(RunResult.class);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private int replay(ReplayCommand command, String... args) {
    CommandLine commandLine = new CommandLine(command);
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    return commandLine.execute(args);
  }

  @Test
  void should_replay_a_recorded_run_on_this_build_and_exit_0() {
    int code = replay(new ReplayCommand(), "--workflow-id", "recorded-run", "--address", server.address());

    assertThat(code).as(err.toString()).isZero();
    assertThat(out.toString()).isEqualTo("✓ 1 run(s) replay on this build\n");
  }

  @Test
  void should_exit_1_naming_the_run_and_the_divergence_when_the_build_is_not_deterministic() {
    int code = replay(new ReplayCommand(DriftingInterpreter::new), "--workflow-id", "recorded-run", "--address", server.address());

    assertThat(code).isEqualTo(1);
    assertThat(err.toString()).startsWith("✘ recorded-run (run ").contains("does not replay on this build, after 0 that did")
        .containsIgnoringCase("nondetermin");
  }
}
