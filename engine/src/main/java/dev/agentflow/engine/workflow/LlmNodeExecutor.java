package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.dsl.Price;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.llm.ChatMessage;
import dev.agentflow.engine.llm.LlmActivities;
import dev.agentflow.engine.llm.LlmCallRequest;
import dev.agentflow.engine.llm.LlmCallResult;
import dev.agentflow.engine.llm.LlmErrorTypes;
import dev.agentflow.engine.llm.ToolCall;
import dev.agentflow.engine.llm.admission.CapacityWait;
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
 *
 * <p>Each call first reserves its estimate in the run's {@link BudgetLedger}: the prompt (the
 * conversation so far, as the last call's usage says, plus the new messages at 4 characters a
 * token) and the reply's {@code maxTokens}. A final answer that does not match the node's output
 * schema is a repair turn: the reply comes back, is counted, and the model is asked again with
 * the validation errors, at most {@link #MAX_SCHEMA_REPAIRS} times (every repair is a model call
 * of the loop, so {@code maxIterations} bounds it too).
 */
final class LlmNodeExecutor implements NodeExecutor<LlmNode> {

  /** Repair turns after a reply that does not match the output schema, per visit. */
  static final int MAX_SCHEMA_REPAIRS = 2;

  private static final int CHARS_PER_TOKEN = 4;

  @Override
  public NodeOutcome execute(LlmNode node, RunContext context) {
    ModelSpec model = context.graph().models().get(node.model());
    RunVersions versions = context.versions();
    LlmActivities llm =
        Workflow.newActivityStub(
            LlmActivities.class,
            ActivityOptionsFactory.forModel(
                node.id(), node.model(), model, versions.cancellation(), versions.admissionWait()));
    boolean repairSchema = node.outputSchema() != null && versions.schemaRepair();

    List<ChatMessage> newMessages = new ArrayList<>();
    long newChars = 0;
    long conversationTokens = 0;
    String conversationRef = null;
    String lastContent = null;
    int firstIteration = 0;
    int repairs = 0;
    Continuation continuation = context.continuation();
    Checkpoint.LlmLoop resumed = continuation == null ? null : continuation.takeLoop(node.id());
    if (resumed != null) {
      firstIteration = resumed.iteration();
      conversationRef = resumed.conversationRef();
      lastContent = resumed.lastContent();
      newMessages.addAll(resumed.newMessages());
      newChars = charsOf(resumed.newMessages());
      conversationTokens = resumed.conversationTokens() == null ? 0 : resumed.conversationTokens();
      context.state().resumeNodeStart(resumed.startedAtMillis());
    } else {
      String system = context.render(node.id(), "system prompt", node.system(), null);
      if (system != null) {
        newMessages.add(ChatMessage.system(system));
      }
      newMessages.add(ChatMessage.user(context.render(node.id(), "prompt", node.prompt(), null)));
      newChars = charsOf(newMessages);
    }

    Price price = context.graph().pricing() == null ? null : context.graph().pricing().get(node.model());
    long maxTokens = model.maxTokens() == null ? 0 : model.maxTokens();
    McpRunTools.Offering mcp = McpRunTools.offer(node.id(), node.tools(), context);
    for (int iteration = firstIteration; iteration < node.maxIterations(); iteration++) {
      if (iteration > firstIteration && continuation != null && isGraphNode(node, context) && continuation.due()) {
        continuation.continueAt(
            node.id(),
            new Checkpoint.LlmLoop(node.id(), iteration, conversationRef, List.copyOf(newMessages), lastContent,
                context.state().nodeStartedAt(), conversationTokens));
      }
      long promptTokens = conversationTokens + (newChars + CHARS_PER_TOKEN - 1) / CHARS_PER_TOKEN;
      NodeOutcome.Jump overBudget = context.budget().beforeCall(node, promptTokens, maxTokens, price);
      if (overBudget != null) {
        return overBudget;
      }
      LlmCallResult reply;
      long callStarted = Workflow.currentTimeMillis();
      int callIndex = context.state().nextLlmCallIndex(node.id());
      String modelCall = CapacityWait.callOf(node.id(), callIndex);
      context.state().capacityWaits().expect(modelCall, node.id());
      try {
        reply =
            llm.callLlm(
                new LlmCallRequest(
                    context.graph().name(),
                    node.id(),
                    callIndex,
                    node.model(),
                    model,
                    conversationRef,
                    List.copyOf(newMessages),
                    mcp == null ? node.tools() : mcp.builtins(),
                    node.outputSchema(),
                    price,
                    context.graph().egressAllow(),
                    repairSchema ? Boolean.TRUE : null,
                    mcp == null ? null : mcp.offers(),
                    Boolean.TRUE));
      } catch (ActivityFailure failure) {
        context.state().capacityWaits().done(modelCall);
        context.state().events().modelCall(node.id(), node.model(), iteration + 1, callStarted, null, null, 0,
            ActivityFailures.messageOf(failure));
        context.budget().callFailed(node, ActivityFailures.billedCall(failure));
        ActivityFailures.rethrowIfCancelled(failure, versions);
        return ActivityFailures.onError(node.id(), "llm", node.onError(), failure);
      }
      context.state().capacityWaits().done(modelCall);
      context.state().events().modelCall(node.id(), node.model(), iteration + 1, callStarted, reply.usage(),
          reply.costUsd(), reply.toolCalls().size(), null);
      overBudget = context.budget().afterCall(node, reply.usage(), reply.costUsd());
      if (overBudget != null) {
        return overBudget;
      }
      conversationRef = reply.conversationRef();
      lastContent = reply.content();
      conversationTokens = reply.usage() == null ? conversationTokens : reply.usage().total();
      newMessages.clear();
      newChars = 0;
      if (reply.schemaErrors() != null) {
        if (repairs == MAX_SCHEMA_REPAIRS) {
          return schemaMismatch(node, reply.schemaErrors());
        }
        repairs++;
        ChatMessage repair = ChatMessage.user(repairRequest(node, reply.schemaErrors()));
        newMessages.add(repair);
        newChars = repair.content().length();
        continue;
      }
      if (reply.toolCalls().isEmpty()) {
        return new NodeOutcome.Completed(outputOf(node, reply.content()));
      }
      for (ToolCall call : reply.toolCalls()) {
        McpRunTools.Target mcpTool = mcp == null ? null : mcp.find(call.name());
        long toolStarted = Workflow.currentTimeMillis();
        ToolLoopCalls.Reply result = mcpTool != null
            ? McpRunTools.runForModel(node.id(), call, mcpTool, context) : ToolLoopCalls.run(node, call, context);
        String text = result.message().content();
        context.state().events().toolCall(node.id(), call.name(), call.argumentsJson(), toolStarted,
            text != null && text.startsWith("Error: ") ? text.substring("Error: ".length()) : null);
        newMessages.add(result.message());
        newChars += result.chars();
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

  private static long charsOf(List<ChatMessage> messages) {
    long chars = 0;
    for (ChatMessage message : messages) {
      chars += message.content() == null ? 0 : message.content().length();
    }
    return chars;
  }

  /** What the model is told when its answer does not match the schema. */
  private static String repairRequest(LlmNode node, String errors) {
    String prefix = "node '" + node.id() + "': ";
    String problems = errors.startsWith(prefix) ? errors.substring(prefix.length()) : errors;
    return "Your answer cannot be used: " + problems + ". Answer again with only JSON that matches the required"
        + " schema.";
  }

  /** The answer still does not match after the repairs: {@code onError}, or the run's failure. */
  private static NodeOutcome schemaMismatch(LlmNode node, String errors) {
    String message = errors + " (after " + MAX_SCHEMA_REPAIRS + " repair requests)";
    if (node.onError() != null) {
      return ActivityFailures.errorJump(node.onError(), LlmErrorTypes.OUTPUT_SCHEMA_MISMATCH, message);
    }
    throw ApplicationFailure.newNonRetryableFailure(
        "llm node '" + node.id() + "' failed: " + message, LlmErrorTypes.OUTPUT_SCHEMA_MISMATCH);
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
