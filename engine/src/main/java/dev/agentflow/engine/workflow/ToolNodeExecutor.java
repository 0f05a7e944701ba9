package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.McpToolNames;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.tool.ToolActivities;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import java.util.Iterator;
import java.util.Map;

/**
 * One tool call with templated arguments. A large result stays in the blob store: the node's output
 * is then {@code {ref, sizeBytes, preview}} rather than the value itself. A call that fails goes to
 * {@code onError}; one that is cancelled with the run does not.
 */
final class ToolNodeExecutor implements NodeExecutor<ToolNode> {

  @Override
  public NodeOutcome execute(ToolNode node, RunContext context) {
    JsonNode arguments = renderArguments(node, node.arguments(), context);
    McpRunTools.Target mcp =
        McpToolNames.isMcp(node.tool()) ? McpRunTools.resolve(node.id(), node.tool(), context) : null;
    ToolSettings settings = context.graph().tools().getOrDefault(node.tool(), ToolSettings.DEFAULT);
    ToolActivities tools =
        Workflow.newActivityStub(
            ToolActivities.class,
            ActivityOptionsFactory.forTool(node.id(), node.tool(), settings, context.versions().cancellation()));
    long started = Workflow.currentTimeMillis();
    try {
      ToolCallResult result = mcp != null
          ? McpRunTools.call(node.id(), mcp, arguments, ToolCallRequest.FROM_DEFINITION, context)
          : tools.callTool(new ToolCallRequest(
              node.id(), node.tool(), arguments, ToolCallRequest.FROM_DEFINITION, context.graph().egressAllow()));
      context.state().events().toolCall(node.id(), node.tool(), arguments, started, null);
      return new NodeOutcome.Completed(outputOf(result));
    } catch (ActivityFailure failure) {
      context.state().events().toolCall(node.id(), node.tool(), arguments, started, ActivityFailures.messageOf(failure));
      ActivityFailures.rethrowIfCancelled(failure, context.versions());
      return ActivityFailures.onError(node.id(), "tool", node.onError(), failure);
    }
  }

  private static JsonNode outputOf(ToolCallResult result) {
    if (result.valueRef() == null) {
      return result.value();
    }
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.put("ref", result.valueRef());
    output.put("sizeBytes", result.sizeBytes());
    output.put("preview", result.preview());
    return output;
  }

  /** Every string inside the arguments is a template; other values pass through unchanged. */
  private static JsonNode renderArguments(ToolNode node, JsonNode value, RunContext context) {
    if (value == null) {
      return RunContext.JSON.createObjectNode();
    }
    if (value.isTextual()) {
      return TextNode.valueOf(context.render(node.id(), "argument", value.asText(), null));
    }
    if (value.isObject()) {
      ObjectNode rendered = RunContext.JSON.createObjectNode();
      Iterator<Map.Entry<String, JsonNode>> fields = value.fields();
      while (fields.hasNext()) {
        Map.Entry<String, JsonNode> field = fields.next();
        rendered.set(field.getKey(), renderArguments(node, field.getValue(), context));
      }
      return rendered;
    }
    if (value.isArray()) {
      ArrayNode rendered = RunContext.JSON.createArrayNode();
      for (JsonNode element : value) {
        rendered.add(renderArguments(node, element, context));
      }
      return rendered;
    }
    return value;
  }
}
