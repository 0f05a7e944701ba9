package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.Price;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.LlmActivities;
import dev.agentflow.engine.llm.LlmCallRequest;
import dev.agentflow.engine.llm.LlmCallResult;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.tool.ToolActivities;
import dev.agentflow.engine.tool.ToolCallRequest;
import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed's agent loop as a node: call the model; if it asks for tools, run each as its own
 * activity and send the results (or {@code Error: …}) back; stop when it answers or after {@code
 * maxIterations} model calls. The conversation lives in the blob store; only its reference and the
 * messages new to each call pass through workflow history.
 */
final class LlmNodeExecutor implements NodeExecutor<LlmNode> {

  @Override
  public NodeOutcome execute(LlmNode node, RunContext context) {
    ModelSpec model = context.graph().models().get(node.model());
    LlmActivities llm =
        Workflow.newActivityStub(
            LlmActivities.class, ActivityOptionsFactory.forModel(node.id(), node.model(), model));

    List<ChatMessage> newMessages = new ArrayList<>();
    String conversationRef = null;
    String lastContent = null;
    int firstIteration = 0;
    Continuation continuation = context.continuation();
    Checkpoint.LlmLoop resumed = continuation == null ? null : continuation.takeLoop(node.id());
    if (resumed != null) {
      firstIteration = resumed.iteration();
      conversationRef = resumed.conversationRef();
      lastContent = resumed.lastContent();
      newMessages.addAll(resumed.newMessages());
    } else {
      String system = context.render(node.id(), "system prompt", node.system(), null);
      if (system != null) {
        newMessages.add(ChatMessage.system(system));
      }
      newMessages.add(ChatMessage.user(context.render(node.id(), "prompt", node.prompt(), null)));
    }

    Price price = context.graph().pricing() == null ? null : context.graph().pricing().get(node.model());
    McpRunTools.Offering mcp = McpRunTools.offer(node.id(), node.tools(), context);
    for (int iteration = firstIteration; iteration < node.maxIterations(); iteration++) {
      if (iteration > firstIteration && continuation != null && isGraphNode(node, context) && continuation.due()) {
        continuation.continueAt(
            node.id(), new Checkpoint.LlmLoop(node.id(), iteration, conversationRef, List.copyOf(newMessages), lastContent));
      }
      NodeOutcome.Jump overBudget = context.budget().beforeCall(node, reservation(model, price));
      if (overBudget != null) {
        return overBudget;
      }
      LlmCallResult reply;
      try {
        reply =
            llm.callLlm(
                new LlmCallRequest(
                    context.graph().name(),
                    node.id(),
                    context.state().nextLlmCallIndex(node.id()),
                    node.model(),
                    model,
                    conversationRef,
                    List.copyOf(newMessages),
                    mcp == null ? node.tools() : mcp.builtins(),
                    node.outputSchema(),
                    price,
                    context.graph().egressAllow(),
                    mcp == null ? null : mcp.offers()));
      } catch (ActivityFailure failure) {
        return onFailure(node, failure);
      }
      context.state().addUsage(node.model(), reply.usage(), reply.costUsd());
      overBudget = context.budget().afterCall(node, reply.usage(), reply.costUsd());
      if (overBudget != null) {
        return overBudget;
      }
      conversationRef = reply.conversationRef();
      lastContent = reply.content();
      if (reply.toolCalls().isEmpty()) {
        return new NodeOutcome.Completed(outputOf(node, reply.content()));
      }
      newMessages.clear();
      for (ToolCall call : reply.toolCalls()) {
        McpRunTools.Target mcpTool = mcp == null ? null : mcp.find(call.name());
        newMessages.add(mcpTool != null
            ? McpRunTools.runForModel(node.id(), call, mcpTool, context) : runTool(node, call, context));
      }
    }
    ObjectNode output = RunContext.JSON.createObjectNode();
    output.put("reason", "maxIterations");
    output.put("iterations", node.maxIterations());
    output.put("lastContent", lastContent);
    if (node.onMaxIterations() != null) {
      return new NodeOutcome.Jump(output, node.onMaxIterations(), "max iterations");
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "llm node '" + node.id() + "' reached maxIterations (" + node.maxIterations()
            + ") without a final answer and has no onMaxIterations route",
        FailureTypes.MAX_ITERATIONS_REACHED);
  }

  /** A review's author and reviewer are not graph nodes: a run cannot resume inside them. */
  private static boolean isGraphNode(LlmNode node, RunContext context) {
    return context.graph().nodes().get(node.id()) == node;
  }

  /** What a call may spend at most: its reply's {@code maxTokens} (0 when unset), priced as output. */
  private static BudgetGuard.Spend reservation(ModelSpec model, Price price) {
    long tokens = model.maxTokens() == null ? 0 : model.maxTokens();
    return new BudgetGuard.Spend(tokens, price == null ? 0 : price.costUsd(0, tokens));
  }

  private static ChatMessage runTool(LlmNode node, ToolCall call, RunContext context) {
    if (!node.tools().contains(call.name())) {
      return ChatMessage.toolResult(
          call, "Error: unknown tool '" + call.name() + "'; available: " + node.tools(), null);
    }
    JsonNode arguments;
    try {
      arguments = RunContext.JSON.readTree(call.argumentsJson() == null ? "{}" : call.argumentsJson());
    } catch (JsonProcessingException e) {
      return ChatMessage.toolResult(
          call, "Error: the arguments are not valid JSON: " + e.getOriginalMessage(), null);
    }
    ToolSettings settings = context.graph().tools().getOrDefault(call.name(), ToolSettings.DEFAULT);
    ToolActivities tools =
        Workflow.newActivityStub(
            ToolActivities.class, ActivityOptionsFactory.forTool(node.id(), call.name(), settings));
    try {
      ToolCallResult result = tools.callTool(new ToolCallRequest(
          node.id(), call.name(), arguments, ToolCallRequest.FROM_MODEL, context.graph().egressAllow()));
      if (result.valueRef() != null) {
        return ChatMessage.toolResult(call, null, result.valueRef());
      }
      JsonNode value = result.value();
      String text = value == null ? "null" : value.isTextual() ? value.asText() : value.toString();
      return ChatMessage.toolResult(call, text, null);
    } catch (ActivityFailure failure) {
      return ChatMessage.toolResult(call, "Error: " + ActivityFailures.messageOf(failure), null);
    }
  }

  private static NodeOutcome onFailure(LlmNode node, ActivityFailure failure) {
    return ActivityFailures.onError(node.id(), "llm", node.onError(), failure);
  }

  private static JsonNode outputOf(LlmNode node, String content) {
    String text = content == null ? "" : content;
    if (node.outputSchema() == null) {
      return TextNode.valueOf(text);
    }
    try {
      return RunContext.JSON.readTree(text);
    } catch (JsonProcessingException e) {
      throw ApplicationFailure.newNonRetryableFailure(
          "llm node '" + node.id() + "' has an outputSchema but the reply is not JSON: "
              + e.getOriginalMessage(),
          FailureTypes.OUTPUT_NOT_JSON);
    }
  }
}
