package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.GraphDefinition;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.SearchAttributeUpdate;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The search attributes a run keeps up to date, so stock Temporal tools (UI, {@code temporal
 * workflow list --query}) find runs by graph, version, current node, tokens and cost. Every
 * namespace a worker serves must have them registered ({@link #definitions()}), or each upsert
 * fails its workflow task.
 *
 * <p>Upserts add commands to the history, so they are behind {@code Workflow.getVersion}: runs
 * recorded before this change replay without them.
 */
public final class RunSearchAttributes {

  public static final SearchAttributeKey<String> GRAPH = SearchAttributeKey.forKeyword("AgentflowGraph");
  public static final SearchAttributeKey<Long> GRAPH_VERSION = SearchAttributeKey.forLong("AgentflowGraphVersion");
  public static final SearchAttributeKey<String> NODE = SearchAttributeKey.forKeyword("AgentflowNode");
  public static final SearchAttributeKey<Long> TOKENS = SearchAttributeKey.forLong("AgentflowTokens");
  public static final SearchAttributeKey<Double> COST_USD = SearchAttributeKey.forDouble("AgentflowCostUsd");
  /** The sha256 of the definition a run started by reference resolved to. */
  public static final SearchAttributeKey<String> GRAPH_SHA = SearchAttributeKey.forKeyword("AgentflowGraphSha");
  /** The alias a run started by {@code NAME@ALIAS} came through. */
  public static final SearchAttributeKey<String> GRAPH_ALIAS = SearchAttributeKey.forKeyword("AgentflowGraphAlias");

  /** The {@code Workflow.getVersion} change id; version 1 upserts, the default version does not. */
  static final String CHANGE_ID = "search-attributes";

  private static final List<SearchAttributeKey<?>> ALL = List.of(GRAPH, GRAPH_VERSION, NODE, TOKENS, COST_USD, GRAPH_SHA, GRAPH_ALIAS);

  private final boolean enabled;
  private final String graph;
  private final long graphVersion;
  private final Map<SearchAttributeKey<?>, Object> upserted = new TreeMap<>();
  private String sha256;
  private String alias;

  private RunSearchAttributes(boolean enabled, String graph, long graphVersion) {
    this.enabled = enabled;
    this.graph = graph;
    this.graphVersion = graphVersion;
  }

  /** Name to type of every attribute, in a fixed order: what a namespace or test server must register. */
  public static Map<String, IndexedValueType> definitions() {
    Map<String, IndexedValueType> definitions = new LinkedHashMap<>();
    for (SearchAttributeKey<?> key : ALL) {
      definitions.put(key.getName(), key.getValueType());
    }
    return definitions;
  }

  /**
   * The {@code Workflow.getVersion} change id of recording whether the worker that started the run
   * allowed upserts: version 1 records the worker's choice with a side effect, so a replay on a
   * worker configured otherwise makes the same commands; runs recorded before it always upserted.
   */
  static final String WORKER_CHOICE_CHANGE_ID = "search-attributes-worker-choice";

  /**
   * For a run of {@code graph}; call once, early in the run, before the run's first command.
   *
   * @param workerAllows false when the worker's namespace lacks the attributes (a server without
   *     the operator API, no permission) or its config says {@code searchAttributes: off}
   */
  static RunSearchAttributes forRun(GraphDefinition graph, boolean workerAllows) {
    int version = Workflow.getVersion(CHANGE_ID, Workflow.DEFAULT_VERSION, 1);
    boolean enabled = version >= 1 && recordedChoice(workerAllows);
    return new RunSearchAttributes(enabled, graph.name(), graph.version());
  }

  private static boolean recordedChoice(boolean workerAllows) {
    if (Workflow.getVersion(WORKER_CHOICE_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) {
      return true;
    }
    return Workflow.sideEffect(Boolean.class, () -> workerAllows);
  }

  /**
   * A run started by reference also carries the sha256 and the alias it resolved to, set with its
   * first upsert. Only such runs (new since the registry) set them, so older histories replay as
   * they ran.
   *
   * @param alias the alias, or null when the reference named a version or the latest
   */
  void pinnedTo(String sha256, String alias) {
    this.sha256 = sha256;
    this.alias = alias;
  }

  /**
   * Upserts the node that starts now with the totals so far (child runs' usage included once
   * reported): one upsert per node visit, holding only the values that changed, none if none did.
   */
  void nodeStarted(String nodeId, UsageSummary usage) {
    if (!enabled) {
      return;
    }
    List<SearchAttributeUpdate<?>> updates = new ArrayList<>();
    addIfChanged(updates, GRAPH, graph);
    addIfChanged(updates, GRAPH_VERSION, graphVersion);
    if (sha256 != null) {
      addIfChanged(updates, GRAPH_SHA, sha256);
    }
    if (alias != null) {
      addIfChanged(updates, GRAPH_ALIAS, alias);
    }
    addIfChanged(updates, NODE, nodeId);
    addIfChanged(updates, TOKENS, usage.total().total());
    addIfChanged(updates, COST_USD, usage.costUsd());
    if (!updates.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(updates.toArray(SearchAttributeUpdate<?>[]::new));
    }
  }

  private <T> void addIfChanged(List<SearchAttributeUpdate<?>> updates, SearchAttributeKey<T> key, T value) {
    if (!Objects.equals(upserted.get(key), value)) {
      updates.add(key.valueSet(value));
      upserted.put(key, value);
    }
  }
}
