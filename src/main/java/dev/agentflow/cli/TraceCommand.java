package dev.agentflow.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentflow.cli.picture.PictureFormat;
import dev.agentflow.cli.picture.RunTrace;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.serviceclient.WorkflowServiceStubs;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code agentflow trace}: what a finished or running run did, children included: as text (the
 * path, visits, tokens, cost and tool calls per node), as the graph's picture with the path
 * highlighted (Mermaid or SVG), or as JSON (every live event).
 */
@Command(name = "trace", mixinStandardHelpOptions = true,
    description = "Show what a run did: the path taken, visits, tokens, cost and tool calls per node, child runs included.")
final class TraceCommand implements Callable<Integer> {

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  @Parameters(index = "0", paramLabel = "WORKFLOW_ID", description = "the run's workflow id")
  String workflowId;

  @Option(names = "--format", defaultValue = "text", paramLabel = "text|mermaid|svg|json",
      description = "output format (default: ${DEFAULT-VALUE})")
  String format;

  @Option(names = {"-o", "--output"}, paramLabel = "FILE", description = "write to FILE instead of the terminal")
  Path output;

  @Mixin TemporalOptions temporal;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    String chosen = format.toLowerCase(Locale.ROOT);
    if (!chosen.matches("text|mermaid|svg|json")) {
      throw CliException.usage("--format '" + format + "' is not one of text, mermaid, svg, json");
    }
    if (temporal.embedded()) {
      temporal.address = SignalCommand.DEFAULT_ADDRESS;
    }
    WorkflowServiceStubs service = temporal.connect();
    RunTrace trace;
    try {
      trace = RunTrace.read(temporal.client(service), workflowId);
    } catch (WorkflowNotFoundException e) {
      throw CliException.failed("no workflow '" + workflowId + "' in namespace " + temporal.namespace + " on " + temporal.address);
    } catch (RuntimeException e) {
      throw CliException.failed("cannot read the run " + workflowId + ": " + Failures.chain(e).replace("\n  cause: ", ": ")
          + "\n  (its events come from the events query: an agentflow worker must serve the run's task queue)");
    } finally {
      service.shutdown();
    }
    String text = switch (chosen) {
      case "mermaid" -> PictureFormat.MERMAID.write(trace.picture());
      case "svg" -> PictureFormat.SVG.write(trace.picture());
      case "json" -> json(trace);
      default -> trace.text();
    };
    if (output != null) {
      Files.writeString(output, text);
    } else {
      spec.commandLine().getOut().print(text);
      spec.commandLine().getOut().flush();
    }
    return 0;
  }

  private static String json(RunTrace trace) {
    try {
      return JSON.writeValueAsString(trace.json()) + "\n";
    } catch (JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
