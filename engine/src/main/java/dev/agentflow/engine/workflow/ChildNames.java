package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.SubgraphRef;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;

/**
 * What a child run is called and how stock Temporal tools describe it. Its id starts with the
 * parent's workflow id and names the node, the node's visit and the branch ({@code
 * <parent>.<node>-<visit>-<branch>-<8 hex>}, the last part from workflow randomness, so it is the
 * same on replay and unique when a branch runs again); its static summary and details (shown by
 * the Web UI and {@code temporal workflow describe}) say which graph it runs, for which parent,
 * node and item.
 *
 * <p>Behind {@code Workflow.getVersion} ({@link RunVersions#CHILD_NAMES}): runs recorded before it
 * start children as {@code <node>-<visit>-<branch>-<uuid>} without a summary. A replay of a
 * history recorded with it must use the workflow id it was recorded under.
 */
final class ChildNames {

  /**
   * How one child is named and described.
   *
   * @param workflowId the child's workflow id
   * @param summary one line for the Web UI's list and the run's page, or null (old runs)
   * @param details Markdown for the run's page, or null (old runs)
   */
  record Name(String workflowId, String summary, String details) {

    ChildWorkflowOptions.Builder describe(ChildWorkflowOptions.Builder options) {
      if (summary != null) {
        options.setStaticSummary(summary);
        options.setStaticDetails(details);
      }
      return options.setWorkflowId(workflowId);
    }
  }

  private ChildNames() {}

  /**
   * Names the child of {@code nodeId} (of kind {@code kind}, in its {@code visit}) that runs {@code
   * graph} for {@code branch}: a map item's index, a parallel branch's name, or {@code child}.
   */
  static Name of(RunContext context, String nodeId, String kind, int visit, String branch, SubgraphRef graph) {
    if (!context.versions().childNames()) {
      return new Name(ChildRuns.childId(nodeId, visit, branch), null, null);
    }
    String parent = Workflow.getInfo().getWorkflowId();
    String suffix = Workflow.randomUUID().toString().substring(0, 8);
    String id = parent + "." + nodeId + "-" + visit + "-" + branch + "-" + suffix;
    String childGraph = graph.definition().path("name").asText("graph");
    int childVersion = graph.definition().path("version").asInt(0);
    String what = "map".equals(kind) ? "item " + branch : "parallel".equals(kind) ? "branch " + branch : "subgraph";
    String summary = childGraph + " v" + childVersion + " · " + context.graph().name() + "/" + nodeId + " · " + what;
    String details = "**graph** " + childGraph + " v" + childVersion
        + (graph.path() != null ? " (" + graph.path() + ")" : "") + "  \n"
        + "**parent** " + parent + " (" + context.graph().name() + " v" + context.graph().version() + ")  \n"
        + "**node** `" + nodeId + "` (" + kind + ", visit " + visit + ") · " + what;
    return new Name(id, summary, details);
  }
}
