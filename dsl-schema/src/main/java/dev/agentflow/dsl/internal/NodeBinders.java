package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.Node;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Every node kind's binder, keyed by its {@code kind:} string. */
public final class NodeBinders {

  private static final Map<String, NodeBinder> BY_KIND = register(
      Map.entry("llm", new LlmBinder()),
      Map.entry("tool", new ToolBinder()),
      Map.entry("end", new EndBinder()),
      Map.entry("parallel", new ParallelBinder()),
      Map.entry("map", new MapBinder()),
      Map.entry("review", new ReviewBinder()),
      Map.entry("wait", new WaitBinder()),
      Map.entry("subgraph", new SubgraphBinder()));

  private NodeBinders() {}

  /** The kind strings with a binder, in registration order. */
  public static Set<String> kinds() {
    return BY_KIND.keySet();
  }

  /** The record type each kind binds to. */
  public static Map<String, Class<? extends Node>> types() {
    Map<String, Class<? extends Node>> types = new LinkedHashMap<>();
    BY_KIND.forEach((kind, binder) -> types.put(kind, binder.type()));
    return types;
  }

  static NodeBinder of(String kind) {
    NodeBinder binder = BY_KIND.get(kind);
    if (binder == null) {
      throw new IllegalArgumentException("no binder for node kind '" + kind + "'");
    }
    return binder;
  }

  @SafeVarargs
  private static Map<String, NodeBinder> register(Map.Entry<String, NodeBinder>... entries) {
    Map<String, NodeBinder> map = new LinkedHashMap<>();
    for (Map.Entry<String, NodeBinder> entry : List.of(entries)) {
      map.put(entry.getKey(), entry.getValue());
    }
    return java.util.Collections.unmodifiableMap(map);
  }
}
