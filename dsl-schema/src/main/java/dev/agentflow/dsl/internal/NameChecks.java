package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ToolNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names that point outside the node graph: every llm node's model is defined under {@code models},
 * and, when the engine told us its tools, every tool a node or the {@code tools:} section names is
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
      String pointer = JsonPointers.node(node.id());
      if (node instanceof LlmNode llm) {
        if (!graph.models().containsKey(llm.model())) {
          problems.atValue(JsonPointers.child(pointer, "model"), "model '" + llm.model() + "' of node '"
              + node.id() + "' is not defined under models"
              + Suggestions.hint(llm.model(), graph.models().keySet())
              + " (defined: " + listed(graph.models().keySet()) + ")");
        }
        for (int i = 0; i < llm.tools().size(); i++) {
          checkTool(llm.tools().get(i),
              JsonPointers.child(JsonPointers.child(pointer, "tools"), i), knownTools, problems);
        }
      } else if (node instanceof ToolNode tool) {
        checkTool(tool.tool(), JsonPointers.child(pointer, "tool"), knownTools, problems);
      }
    }
    if (knownTools.isPresent()) {
      for (String tool : graph.tools().keySet()) {
        if (!knownTools.get().contains(tool)) {
          problems.atKey(JsonPointers.child("/tools", tool), "settings for unknown tool '" + tool + "'"
              + Suggestions.hint(tool, new TreeSet<>(knownTools.get()))
              + " (known tools: " + listed(new TreeSet<>(knownTools.get())) + ")");
        }
      }
    }
  }

  private static void checkTool(String tool, String pointer, Optional<Set<String>> knownTools,
      ProblemCollector problems) {
    if (knownTools.isEmpty() || knownTools.get().contains(tool)) {
      return;
    }
    Set<String> sorted = new TreeSet<>(knownTools.get());
    problems.atValue(pointer, "unknown tool '" + tool + "'" + Suggestions.hint(tool, sorted)
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
