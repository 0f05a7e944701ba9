package dev.agentflow.engine.llm.offline;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.LocatedDocument;
import dev.agentflow.dsl.MapNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.ParallelNode;
import dev.agentflow.dsl.Problem;
import dev.agentflow.dsl.ReviewNode;
import dev.agentflow.dsl.SubgraphNode;
import dev.agentflow.dsl.SubgraphRef;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks an offline script against the graph it answers for: every node it scripts must be a node
 * that calls a model in that graph or in one of its child graphs (whose calls a run answers from
 * the same script), so a misspelt node name is a problem at its line:column instead of a run that
 * fails with {@code OfflineScriptMissing}.
 */
public final class ScriptChecks {

  private static final DefinitionLoader CHILDREN = DefinitionLoader.withoutToolCheck();

  private ScriptChecks() {}

  /** Problems of {@code script} (read from {@code document}) against {@code graph}; empty when it fits. */
  public static List<Problem> check(LocatedDocument document, OfflineScript script, GraphDefinition graph) {
    List<Problem> problems = new ArrayList<>();
    JsonNode declared = document.root().get("graph");
    if (declared != null && declared.isTextual() && !declared.asText().equals(graph.name())) {
      problems.add(document.problemAt("/graph", "the script says graph '" + declared.asText()
          + "' but its definition is '" + graph.name() + "'"));
    }
    Set<String> callers = modelCallers(graph);
    for (String node : script.replies().keySet()) {
      if (!callers.contains(node)) {
        problems.add(document.problemAtKey("/replies/" + node.replace("~", "~0").replace("/", "~1"),
            "'" + node + "' is not a node that calls a model in graph '" + graph.name()
                + "' or its child graphs (expected one of " + String.join(", ", callers) + ")"));
      }
    }
    return problems;
  }

  /**
   * The ids a model call of a run of {@code graph} can carry: llm nodes, review nodes' {@code
   * <id>.author} and {@code <id>.reviewer}, in this graph and every child graph, sorted.
   */
  public static Set<String> modelCallers(GraphDefinition graph) {
    Set<String> callers = new TreeSet<>();
    List<GraphDefinition> pending = new ArrayList<>(List.of(graph));
    while (!pending.isEmpty()) {
      GraphDefinition current = pending.remove(pending.size() - 1);
      for (Node node : current.nodes().values()) {
        if (node instanceof LlmNode) {
          callers.add(node.id());
        } else if (node instanceof ReviewNode) {
          callers.add(node.id() + ".author");
          callers.add(node.id() + ".reviewer");
        } else if (node instanceof MapNode map) {
          child(map.graph(), pending);
        } else if (node instanceof ParallelNode parallel) {
          parallel.branches().values().forEach(branch -> child(branch, pending));
        } else if (node instanceof SubgraphNode subgraph) {
          child(subgraph.graph(), pending);
        }
      }
    }
    return callers;
  }

  private static void child(SubgraphRef ref, List<GraphDefinition> pending) {
    if (ref == null || ref.definition() == null) {
      return;
    }
    try {
      pending.add(CHILDREN.load(ref.definition(), "<child graph>").graph());
    } catch (DefinitionException e) {
      // a child that does not load was reported with its parent's problems
    }
  }
}
