package dev.agentflow.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.Runs;
import dev.agentflow.engine.registry.GraphReference;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.tools.ToolRegistry;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowStub;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow start NAME@ALIAS | NAME:VERSION | NAME | FILE}: starts a run on a cluster and
 * prints its workflow id, without waiting. A reference is resolved by the run itself (its history
 * records the version it got); a file is validated here and travels with the run, as {@code run}
 * does it.
 */
@Command(name = "start", mixinStandardHelpOptions = true,
    description = "Start a run on a Temporal cluster (by registry reference or definition file) and print its workflow id.")
final class StartCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper();

  @Parameters(index = "0", paramLabel = "GRAPH", description = "NAME@ALIAS, NAME:VERSION, NAME (latest), or a definition file")
  String target;

  @Option(names = "--input", defaultValue = "{}", paramLabel = "JSON|@FILE", description = "run input (default: {})")
  String input;

  @Option(names = "--workflow-id", description = "workflow id (default: <graph>-<random>)")
  String workflowId;

  @Option(names = "--task-queue", defaultValue = AgentGraphWorkflow.TASK_QUEUE, description = "task queue (default: ${DEFAULT-VALUE})")
  String taskQueue;

  @Mixin TemporalOptions temporal;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    if (workflowId != null && workflowId.isBlank()) {
      throw CliException.usage("--workflow-id is empty (leave it out for <graph>-<random>)");
    }
    var inputValue = JsonArgument.value("--input", input);
    RunRequest request;
    String name;
    LoadedDefinition loaded = null;
    Path file = Path.of(target);
    if (Files.isRegularFile(file)) {
      try {
        loaded = new DefinitionLoader(ToolRegistry.loadFromClasspath().names()).load(file);
      } catch (DefinitionException e) {
        throw CliException.failed(file + "\n" + JsonArgument.indented(e));
      }
      request = new RunRequest(JSON.readTree(loaded.canonicalJson()), inputValue, new RunOptions(file.toString(), null));
      name = loaded.graph().name();
    } else if (GraphReference.looksLikeReference(target)) {
      GraphReference reference = GraphReference.parse(target);
      request = RunRequest.byReference(reference.toString(), inputValue, null);
      name = reference.name();
    } else {
      throw CliException.usage("'" + target + "' is neither a file nor a graph reference (NAME@ALIAS, NAME:VERSION or NAME)");
    }
    PayloadLimit.check(request);
    if (temporal.embedded()) {
      temporal.address = SignalCommand.DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service = temporal.connect();
    try {
      WorkflowClient client = temporal.client(service);
      String id = workflowId != null ? workflowId : name + "-" + UUID.randomUUID();
      WorkflowStub stub = loaded != null ? Runs.newStub(client, loaded, id, taskQueue)
          : Runs.newStubByReference(client, GraphReference.parse(target).toString(), id, taskQueue);
      stub.start(request);
      out.println(id);
      out.flush();
      return 0;
    } catch (WorkflowExecutionAlreadyStarted e) {
      throw CliException.failed("a workflow with id '" + workflowId + "' is already running in namespace " + temporal.namespace);
    } finally {
      service.shutdown();
    }
  }
}
