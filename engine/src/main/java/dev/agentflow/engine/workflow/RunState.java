package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.llm.TokenUsage;
import dev.agentflow.engine.mcp.McpToolSnapshot;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The mutable state of one run that expressions can see: node outputs, variables, visit counts and
 * usage. Only sorted maps, so anything derived from it (the expression scope, the trace) is the
 * same on every replay.
 *
 * <p>Rejected signals are counted, and in runs with bounded signals ({@link #boundSignals()}) only
 * the first {@link #MAX_SIGNAL_ENTRIES} get a trace entry and none counts toward the step limit: a
 * sender cannot end a run or grow its state by sending junk.
 */
final class RunState {

  /** Rejected-signal entries a run keeps in its trace; the rest are only counted. */
  static final int MAX_SIGNAL_ENTRIES = 20;

  /** The trace kind of a rejected signal's entry. */
  static final String SIGNAL_KIND = "signal";

  /** The trace kind of a continue-as-new entry. */
  static final String CONTINUE_AS_NEW_KIND = "continue-as-new";

  private static final JsonNodeFactory JSON = JsonNodeFactory.instance;

  private final JsonNode input;
  private final ObjectNode run;
  private final ObjectNode nodes = JSON.objectNode();
  private final ObjectNode vars = JSON.objectNode();
  private final Map<String, Integer> visits = new TreeMap<>();
  private final Map<String, Integer> llmCalls = new TreeMap<>();
  private final Map<String, TokenUsage> usageByModel = new TreeMap<>();
  private final Map<String, Double> costByModel = new TreeMap<>();
  private final List<TraceEntry> trace = new ArrayList<>();
  private final Map<String, McpToolSnapshot> mcpTools = new TreeMap<>();
  private String currentNode;
  private TokenUsage nodeUsage = TokenUsage.ZERO;
  private String nodeNote;
  private long nodeStartedAt;
  private boolean cancellationRecorded;
  private JsonNode lastOutput = NullNode.getInstance();
  private final RunEvents events = new RunEvents(this::usage);
  private final CapacityWaits capacityWaits = new CapacityWaits(events);
  private boolean boundedSignals;
  private int signalEntries;
  private int nodeEntries;
  private long rejectedSignals;

  RunState(JsonNode input, ObjectNode run) {
    this.input = input == null ? NullNode.getInstance() : input;
    this.run = run;
  }

  /**
   * From now on rejected signals keep at most {@link #MAX_SIGNAL_ENTRIES} trace entries, and only
   * node executions count toward the step limit, not rejected signals nor continue-as-new entries
   * (runs recorded before this counted every trace entry; they replay without it).
   */
  void boundSignals() {
    this.boundedSignals = true;
  }

  JsonNode input() {
    return input;
  }

  /** A checkpoint of this state for continue-as-new, resuming at {@code node}. */
  Checkpoint checkpoint(
      String node,
      int continuations,
      Checkpoint.LlmLoop llmLoop,
      Checkpoint.FanOut fanOut,
      JsonNode inbox,
      JsonNode budgetRaises,
      Checkpoint.Wait wait) {
    return new Checkpoint(
        node,
        continuations,
        nodes.deepCopy(),
        vars.deepCopy(),
        new TreeMap<>(visits),
        new TreeMap<>(llmCalls),
        new TreeMap<>(usageByModel),
        new TreeMap<>(costByModel),
        List.copyOf(trace),
        lastOutput,
        llmLoop,
        inbox,
        budgetRaises,
        fanOut,
        new TreeMap<>(mcpTools),
        rejectedSignals,
        wait,
        events.carry());
  }

  /** Takes over the state a previous run of the same workflow carried across continue-as-new. */
  void restore(Checkpoint checkpoint) {
    checkpoint.nodes().fields().forEachRemaining(field -> nodes.set(field.getKey(), field.getValue()));
    checkpoint.vars().fields().forEachRemaining(field -> vars.set(field.getKey(), field.getValue()));
    visits.putAll(checkpoint.visits());
    llmCalls.putAll(checkpoint.llmCalls());
    usageByModel.putAll(checkpoint.usageByModel());
    costByModel.putAll(checkpoint.costByModel());
    trace.addAll(checkpoint.trace());
    signalEntries = (int) trace.stream().filter(entry -> SIGNAL_KIND.equals(entry.kind())).count();
    nodeEntries = (int) trace.stream()
        .filter(entry -> !SIGNAL_KIND.equals(entry.kind()) && !CONTINUE_AS_NEW_KIND.equals(entry.kind()))
        .count();
    rejectedSignals = Math.max(checkpoint.rejectedSignals(), signalEntries);
    lastOutput = checkpoint.lastOutput() == null ? NullNode.getInstance() : checkpoint.lastOutput();
    if (checkpoint.mcpTools() != null) {
      mcpTools.putAll(checkpoint.mcpTools());
    }
    events.restore(checkpoint.events());
  }

  /** The run's model calls that wait for their pool's capacity. */
  CapacityWaits capacityWaits() {
    return capacityWaits;
  }

  /** The run's live events (off until the run enables them). */
  RunEvents events() {
    return events;
  }

  /** The MCP tool lists this run recorded, by server (see {@code McpRunTools}); mutable, sorted. */
  Map<String, McpToolSnapshot> mcpTools() {
    return mcpTools;
  }

  int visit(String nodeId) {
    return visits.merge(nodeId, 1, Integer::sum);
  }

  int visits(String nodeId) {
    return visits.getOrDefault(nodeId, 0);
  }

  /** The index of this node's next model call in the run (0 for the first), counting it. */
  int nextLlmCallIndex(String nodeId) {
    int index = llmCalls.getOrDefault(nodeId, 0);
    llmCalls.put(nodeId, index + 1);
    return index;
  }

  void setOutput(String nodeId, JsonNode output) {
    ObjectNode entry = JSON.objectNode();
    entry.set("output", output == null ? NullNode.getInstance() : output);
    nodes.set(nodeId, entry);
    lastOutput = entry.get("output");
  }

  /** The output of the node that finished last (null before any). */
  JsonNode lastOutput() {
    return lastOutput;
  }

  void setVar(String name, JsonNode value) {
    vars.set(name, value == null ? NullNode.getInstance() : value);
  }

  void addUsage(String modelName, TokenUsage usage) {
    usageByModel.merge(modelName, usage, TokenUsage::plus);
    nodeUsage = nodeUsage.plus(usage);
  }

  /** Adds one model call's tokens and, when its price is known, its cost. */
  void addUsage(String modelName, TokenUsage usage, Double costUsd) {
    addUsage(modelName, usage);
    if (costUsd != null) {
      costByModel.merge(modelName, costUsd, Double::sum);
    }
  }

  /**
   * Adds what a child run (fan-out branch, subgraph) spent, so run budgets include sub-agents; the
   * current node's trace entry shows it too.
   */
  void addChildUsage(UsageSummary child) {
    if (child == null) {
      return;
    }
    child.byModel().forEach((model, usage) -> usageByModel.merge(model, usage, TokenUsage::plus));
    nodeUsage = nodeUsage.plus(child.total());
    if (child.costByModel() != null) {
      child.costByModel().forEach((model, cost) -> costByModel.merge(model, cost, Double::sum));
    }
  }

  /**
   * Counts what the current node spent before the run continued as new (a fan-out resumed in the
   * middle), so its trace entry shows the node's whole usage. The run totals already include it.
   */
  void resumeNodeUsage(TokenUsage spentBefore) {
    nodeUsage = nodeUsage.plus(spentBefore);
  }

  /** Records when the current node started (workflow time). */
  void nodeStarted(long startedAtMillis) {
    this.nodeStartedAt = startedAtMillis;
  }

  /**
   * Moves the current node's start back to when it started before the run continued as new (a
   * fan-out or tool loop resumed in the middle), so its trace entry covers the whole node; null
   * (a checkpoint that did not carry it) changes nothing.
   */
  void resumeNodeStart(Long startedAtMillis) {
    if (startedAtMillis != null) {
      this.nodeStartedAt = startedAtMillis;
    }
  }

  /** Workflow time when the current node started. */
  long nodeStartedAt() {
    return nodeStartedAt;
  }

  /** Tokens spent since the current node started. */
  TokenUsage nodeUsage() {
    return nodeUsage;
  }

  /** Adds a node execution's (or a continue-as-new's) entry; rejected signals use {@link #addRejectedSignal}. */
  void addTrace(TraceEntry entry) {
    trace.add(entry);
    events.traced(entry);
    if (!CONTINUE_AS_NEW_KIND.equals(entry.kind())) {
      nodeEntries++;
    }
  }

  /** Ends the trace with the run's cancellation. */
  void addCancellation(TraceEntry entry) {
    trace.add(entry);
    events.traced(entry);
    cancellationRecorded = true;
  }

  /** Whether the trace already ends with the run's cancellation. */
  boolean cancellationRecorded() {
    return cancellationRecorded;
  }

  /**
   * Records a rejected signal: counted always, traced while fewer than {@link #MAX_SIGNAL_ENTRIES}
   * are (always, in runs without bounded signals).
   */
  void addRejectedSignal(TraceEntry entry) {
    rejectedSignals++;
    if (!boundedSignals || signalEntries < MAX_SIGNAL_ENTRIES) {
      trace.add(entry);
      signalEntries++;
    }
  }

  /** Signals rejected so far in the run, across continue-as-new. */
  long rejectedSignals() {
    return rejectedSignals;
  }

  /** Entries in the trace: the step number of the next entry is one more. */
  int steps() {
    return trace.size();
  }

  /** Steps that count toward the step limit: node executions (every trace entry in runs without bounded signals). */
  int stepsTowardLimit() {
    return boundedSignals ? nodeEntries : trace.size();
  }

  /** A note for the current node's trace entry (how a fan-out or review went), instead of "ok". */
  void noteOutcome(String note) {
    this.nodeNote = note;
  }

  /** The current node's note, or null. */
  String nodeNote() {
    return nodeNote;
  }

  void setCurrentNode(String nodeId) {
    this.currentNode = nodeId;
    this.nodeUsage = TokenUsage.ZERO;
    this.nodeNote = null;
  }

  String currentNode() {
    return currentNode;
  }

  List<TraceEntry> trace() {
    return List.copyOf(trace);
  }

  UsageSummary usage() {
    TokenUsage total = TokenUsage.ZERO;
    for (TokenUsage usage : usageByModel.values()) {
      total = total.plus(usage);
    }
    double cost = 0;
    for (double modelCost : costByModel.values()) {
      cost += modelCost;
    }
    return new UsageSummary(new TreeMap<>(usageByModel), total, new TreeMap<>(costByModel), cost);
  }

  /**
   * The node outputs as expressions see them. Not a copy: the sandbox only serialises it (a deep
   * copy per evaluation cost time proportional to every output so far, on the workflow thread).
   */
  JsonNode nodesJson() {
    return nodes;
  }

  /** The variables as expressions see them; like {@link #nodesJson()}, not a copy. */
  JsonNode varsJson() {
    return vars;
  }

  JsonNode visitsJson() {
    ObjectNode json = JSON.objectNode();
    visits.forEach(json::put);
    return json;
  }

  JsonNode usageJson(ObjectMapper mapper) {
    UsageSummary summary = usage();
    ObjectNode json = JSON.objectNode();
    json.put("inputTokens", summary.total().inputTokens());
    json.put("outputTokens", summary.total().outputTokens());
    json.put("totalTokens", summary.total().total());
    json.put("costUsd", summary.costUsd());
    json.set("byModel", mapper.valueToTree(summary.byModel()));
    return json;
  }

  JsonNode runJson() {
    return run;
  }
}
