package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.NameRef;
import dev.agentflow.dsl.Node;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names that point outside the node graph: every model a node names ({@link Node#references()})
 * is defined under {@code models}, every {@code pricing} entry prices a defined model, and, when
 * the engine told us its tools, every tool a node or the {@code tools:} section names is
 * registered.
 */
public final class NameChecks {

  private static final int MAX_LISTED = 20;

  private NameChecks() {}

  /**
   * @param knownTools the registered tool names, or empty to skip tool checks
   */
  public static void check(GraphDefinition graph, Optional<Set<String>> knownTools,
      ProblemCollector problems) {
    for (Node node : graph.nodes().values()) {
      for (NameRef ref : node.references()) {
        String pointer = JsonPointers.node(node.id()) + ref.pointer();
        if (ref.kind() == NameRef.Kind.MODEL) {
          checkModel(graph, node, ref.name(), pointer, problems);
        } else {
          checkTool(ref.name(), pointer, knownTools, problems);
        }
      }
    }
    for (String model : graph.pricing().keySet()) {
      if (!graph.models().containsKey(model)) {
        problems.atKey(JsonPointers.child("/pricing", model), "pricing for model '" + PointerText.name(model)
            + "', which is not defined under models" + Suggestions.hint(model, graph.models().keySet())
            + " (defined: " + listed(graph.models().keySet()) + ")");
      }
    }
    if (knownTools.isPresent()) {
      for (String tool : graph.tools().keySet()) {
        if (!knownTools.get().contains(tool)) {
          problems.atKey(JsonPointers.child("/tools", tool), "settings for unknown tool '" + PointerText.name(tool) + "'"
              + Suggestions.hint(tool, new TreeSet<>(knownTools.get()))
              + " (known tools: " + listed(new TreeSet<>(knownTools.get())) + ")");
        }
      }
    }
  }

  private static void checkModel(GraphDefinition graph, Node node, String model, String pointer,
      ProblemCollector problems) {
    if (!graph.models().containsKey(model)) {
      problems.atValue(pointer, "model '" + PointerText.name(model) + "' of node '" + PointerText.name(node.id())
          + "' is not defined under models" + Suggestions.hint(model, graph.models().keySet())
          + " (defined: " + listed(graph.models().keySet()) + ")");
    }
  }

  private static void checkTool(String tool, String pointer, Optional<Set<String>> knownTools,
      ProblemCollector problems) {
    if (knownTools.isEmpty() || knownTools.get().contains(tool)) {
      return;
    }
    Set<String> sorted = new TreeSet<>(knownTools.get());
    problems.atValue(pointer, "unknown tool '" + PointerText.name(tool) + "'" + Suggestions.hint(tool, sorted)
        + " (known tools: " + listed(sorted) + ")");
  }

  private static String listed(Set<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>(names).subList(0, Math.min(names.size(), MAX_LISTED));
    return String.join(", ", shown) + (names.size() > MAX_LISTED ? ", …" : "");
  }
}
