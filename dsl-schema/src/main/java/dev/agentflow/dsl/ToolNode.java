package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/**
 * One tool call with templated arguments.
 *
 * @param tool registered tool name
 * @param arguments JSON object; every string value in it is a template rendered before the call
 * @param onError node to go to when the tool fails for good, or null to fail the run
 */
public record ToolNode(String id, String tool, JsonNode arguments, String onError, Transitions transitions)
    implements Node {

  @Override
  public String kind() {
    return "tool";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onError", onError));
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.all(ExpressionSite.templatesIn(arguments, "/arguments"),
        transitions.expressions());
  }

  @Override
  public List<NameRef> references() {
    return NameRef.tool("tool", tool);
  }
}
