package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.McpToolNames;
import dev.agentflow.dsl.NameRef;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ToolNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Names that point outside the node graph: every model a node names ({@link Node#references()})
 * is defined under {@code models}, every {@code pricing} entry prices a defined model, and, when
 * the engine told us its tools, every tool a node or the {@code tools:} section names is
 * registered. MCP tool names ({@code mcp.<server>/<tool>}, {@code mcp.<server>/*}) must be well
 * formed, a tool node names one tool, and, when the known names include {@link
 * McpToolNames#SERVERS_KNOWN} (a worker config was given), the server and tool must exist.
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
          checkTool(ref.name(), pointer, knownTools, problems, node instanceof ToolNode);
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
        if (McpToolNames.isMcp(tool)) {
          checkMcp(tool, JsonPointers.child("/tools", tool), true, knownTools, problems, false);
        } else if (!knownTools.get().contains(tool)) {
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
      ProblemCollector problems, boolean toolNode) {
    if (McpToolNames.isMcp(tool)) {
      checkMcp(tool, pointer, false, knownTools, problems, toolNode);
      return;
    }
    if (knownTools.isEmpty() || knownTools.get().contains(tool)) {
      return;
    }
    Set<String> sorted = new TreeSet<>(knownTools.get());
    problems.atValue(pointer, "unknown tool '" + PointerText.name(tool) + "'" + Suggestions.hint(tool, sorted)
        + " (known tools: " + listed(sorted) + ")");
  }

  private static void checkMcp(String tool, String pointer, boolean atKey, Optional<Set<String>> knownTools,
      ProblemCollector problems, boolean toolNode) {
    Optional<McpToolNames.Ref> ref = McpToolNames.parse(tool);
    if (ref.isEmpty()) {
      report(problems, atKey, pointer, "'" + tool + "' is not an MCP tool name: write mcp.<server>/<tool> or"
          + " mcp.<server>/* (a server name has lower-case letters, digits, '-' and '_')");
      return;
    }
    if (toolNode && ref.get().wholeServer()) {
      report(problems, atKey, pointer, "a tool node calls one tool, but '" + tool + "' names every tool of MCP server '"
          + ref.get().server() + "'");
      return;
    }
    if (knownTools.isEmpty() || !knownTools.get().contains(McpToolNames.SERVERS_KNOWN)) {
      return;
    }
    Set<String> servers = new TreeSet<>();
    Set<String> tools = new TreeSet<>();
    String prefix = McpToolNames.PREFIX + ref.get().server() + "/";
    for (String known : knownTools.get()) {
      McpToolNames.parse(known).ifPresent(k -> {
        if (k.wholeServer()) {
          servers.add(k.server());
        } else if (known.startsWith(prefix)) {
          tools.add(k.tool());
        }
      });
    }
    if (!servers.contains(ref.get().server())) {
      report(problems, atKey, pointer, "unknown MCP server '" + ref.get().server() + "' in tool '" + tool + "'"
          + Suggestions.hint(ref.get().server(), servers) + " (the worker config's servers: " + listed(servers) + ")");
    } else if (!ref.get().wholeServer() && !tools.contains(ref.get().tool())) {
      report(problems, atKey, pointer, "MCP server '" + ref.get().server() + "' has no tool '" + ref.get().tool() + "'"
          + Suggestions.hint(ref.get().tool(), tools) + " (its tools: " + listed(tools) + ")");
    }
  }

  private static void report(ProblemCollector problems, boolean atKey, String pointer, String message) {
    if (atKey) {
      problems.atKey(pointer, message);
    } else {
      problems.atValue(pointer, message);
    }
  }

  private static String listed(Set<String> names) {
    if (names.isEmpty()) {
      return "none";
    }
    List<String> shown = new ArrayList<>(names).subList(0, Math.min(names.size(), MAX_LISTED));
    return String.join(", ", shown) + (names.size() > MAX_LISTED ? ", …" : "");
  }
}
