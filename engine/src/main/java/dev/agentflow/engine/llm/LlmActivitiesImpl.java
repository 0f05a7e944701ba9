package dev.agentflow.engine.llm;

import dev.agentflow.dsl.Price;
import dev.agentflow.engine.ActivityHeartbeat;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.config.ModelPrice;
import dev.agentflow.engine.config.TaskQueues;
import dev.agentflow.engine.llm.admission.PoolAdmission;
import dev.agentflow.engine.llm.admission.TokenEstimate;
import dev.agentflow.engine.mcp.McpToolSpecs;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The generic LLM activity: reads the conversation by reference, appends the new messages, calls
 * the model's provider with content references resolved, appends the reply and stores the
 * conversation again. Failures leave as {@code ApplicationFailure}s with the stable types of
 * {@link LlmErrorTypes}, so the definition's retry policy (see {@code ActivityOptionsFactory})
 * decides what happens next; a failed call the provider billed says what it cost ({@link
 * BilledCall}). The provider call heartbeats and stops when the activity is cancelled ({@link
 * ActivityHeartbeat}). When the request asks for it, a reply that does not match the output schema
 * comes back with its errors rather than failing, so the node can ask for a repair and the billed
 * call is counted.
 */
public final class LlmActivitiesImpl implements LlmActivities {

  private final ConversationStore conversations;
  private final ProviderRegistry providers;
  private final ToolRegistry tools;
  private final McpToolSpecs mcpTools;
  private final ReplyCheck replyCheck = new ReplyCheck();
  private final Map<String, Price> workerPrices;
  private final PoolAdmission admission;
  private final CapacityWaitReporter waitReporter;

  public LlmActivitiesImpl(BlobStore blobs, ProviderRegistry providers, ToolRegistry tools) {
    this(blobs, providers, tools, Map.of());
  }

  /**
   * @param workerPrices the worker's price table by provider model name (e.g. {@code gpt-4.1});
   *     used when the definition has no price for the call's model
   */
  public LlmActivitiesImpl(
      BlobStore blobs, ProviderRegistry providers, ToolRegistry tools, Map<String, Price> workerPrices) {
    this(blobs, providers, tools, workerPrices, PoolAdmission.none());
  }

  /**
   * @param admission per-minute token and request limits of the pools, checked before every call
   */
  public LlmActivitiesImpl(BlobStore blobs, ProviderRegistry providers, ToolRegistry tools,
      Map<String, Price> workerPrices, PoolAdmission admission) {
    this(blobs, providers, tools, workerPrices, admission, CapacityWaitReporter.NONE);
  }

  /**
   * @param admission per-minute token and request limits of the pools, checked before every call
   * @param waitReporter tells a run that its call waits long for capacity (the worker signals it)
   */
  public LlmActivitiesImpl(BlobStore blobs, ProviderRegistry providers, ToolRegistry tools,
      Map<String, Price> workerPrices, PoolAdmission admission, CapacityWaitReporter waitReporter) {
    this.admission = admission;
    this.waitReporter = waitReporter;
    this.conversations = new ConversationStore(blobs);
    this.providers = providers;
    this.tools = tools;
    this.mcpTools = new McpToolSpecs(blobs);
    this.workerPrices = workerPrices == null ? Map.of() : Map.copyOf(workerPrices);
  }

  /** The engine config's price table ({@code pricing:} by provider model name) as prices. */
  public static Map<String, Price> prices(Map<String, ModelPrice> configured) {
    Map<String, Price> prices = new TreeMap<>();
    if (configured != null) {
      configured.forEach((model, price) -> prices.put(model, new Price(price.input(), price.output())));
    }
    return prices;
  }

  @Override
  public LlmCallResult callLlm(LlmCallRequest request) {
    try (ActivityHeartbeat heartbeat = ActivityHeartbeat.start()) {
      return call(request, heartbeat);
    } catch (LlmCallException e) {
      throw LlmFailures.toApplicationFailure(e, request.nodeId(), request.modelName());
    }
  }

  private LlmCallResult call(LlmCallRequest request, ActivityHeartbeat heartbeat) {
    List<ToolSpec> toolSpecs = toolSpecs(request);
    ChatProvider provider = providers.providerFor(request.model());
    List<ChatMessage> conversation = new ArrayList<>(conversations.read(request.conversationRef()));
    if (request.newMessages() != null) {
      conversation.addAll(request.newMessages());
    }
    List<ChatMessage> resolved = conversation.stream().map(conversations::withResolvedContent).toList();
    ChatCall call =
        new ChatCall(
            resolved,
            request.model(),
            toolSpecs,
            request.outputSchema(),
            request.graphName(),
            request.nodeId(),
            request.callIndex(),
            request.egressAllow());
    PoolAdmission.Permit permit = admit(request, call, heartbeat);
    ChatReply reply = sendCounted(call, provider, permit, heartbeat);
    Double cost = costOf(request, reply.usage());
    String schemaErrors = null;
    try {
      replyCheck.check(reply, request.outputSchema(), request.nodeId());
    } catch (LlmCallException e) {
      boolean mismatch = LlmErrorTypes.OUTPUT_SCHEMA_MISMATCH.equals(e.type());
      if (!mismatch || !request.reportsSchemaMismatch()) {
        throw e.billed(new BilledCall(reply.usage(), cost));
      }
      schemaErrors = e.getMessage();
    }
    conversation.add(ChatMessage.assistant(reply.content(), reply.toolCalls()));
    String ref = conversations.write(conversation);
    return new LlmCallResult(
        ref,
        reply.content(),
        reply.toolCalls(),
        reply.finishReason().toLowerCase(Locale.ROOT),
        reply.usage(),
        cost,
        schemaErrors);
  }

  /**
   * Waits for the pool's capacity (see {@link PoolAdmission}), saying so in the heartbeats and, once
   * the wait is long, to the run ({@link CapacityWaitNotice}).
   */
  private PoolAdmission.Permit admit(LlmCallRequest request, ChatCall call, ActivityHeartbeat heartbeat) {
    CapacityWaitNotice notice =
        new CapacityWaitNotice(request, heartbeat, waitReporter, System::nanoTime, CapacityWaitNotice.REPORT_AFTER);
    try {
      return heartbeat.interruptibly(
          () -> admission.admit(TaskQueues.poolOf(request.model()), TokenEstimate.of(call), notice));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw LlmCallException.providerUnavailable("interrupted while waiting for the pool's capacity");
    } finally {
      notice.over();
    }
  }

  /**
   * Sends the call and settles its reservation: the real usage when answered (and the provider's
   * rate-limit headers passed on), nothing when the provider refused it (a 429 also holds the pool
   * for its {@code Retry-After}), the whole reservation when the outcome is unknown (a time-out or a
   * lost connection may still have been counted by the provider).
   */
  private static ChatReply sendCounted(
      ChatCall call, ChatProvider provider, PoolAdmission.Permit permit, ActivityHeartbeat heartbeat) {
    ChatReply reply;
    try {
      reply = heartbeat.interruptibly(() -> provider.chat(call));
    } catch (LlmCallException e) {
      if (LlmErrorTypes.RATE_LIMITED.equals(e.type())) {
        permit.pause(e.retryAfter().orElse(Duration.ZERO));
      } else if (!LlmErrorTypes.PROVIDER_UNAVAILABLE.equals(e.type())) {
        permit.settle(e.billedCall().map(billed -> billed.usage().total()).orElse(0L));
      }
      throw e;
    }
    permit.settle(reply.usage().total());
    if (reply.rateLimit() != null) {
      permit.tighten(reply.rateLimit().remainingTokens(), reply.rateLimit().resetAfter());
    }
    return reply;
  }

  /** The definition's price wins over the worker's; null when neither knows the model. */
  private Double costOf(LlmCallRequest request, TokenUsage usage) {
    Price price = request.price();
    if (price == null && request.model() != null && request.model().model() != null) {
      price = workerPrices.get(request.model().model());
    }
    return price == null ? null : price.costUsd(usage.inputTokens(), usage.outputTokens());
  }

  private List<ToolSpec> toolSpecs(LlmCallRequest request) {
    List<ToolSpec> specs = new ArrayList<>();
    for (String name : request.toolNames() == null ? List.<String>of() : request.toolNames()) {
      Tool tool =
          tools
              .find(name)
              .orElseThrow(
                  () ->
                      LlmCallException.unknownTool(
                          "no tool '" + name + "' on this worker (known: " + tools.names().stream().sorted().toList()
                              + ")"));
      specs.add(ToolSpec.of(tool));
    }
    try {
      specs.addAll(mcpTools.of(request.mcpTools()));
    } catch (IllegalArgumentException e) {
      throw LlmCallException.unknownTool(e.getMessage());
    }
    return specs;
  }
}
