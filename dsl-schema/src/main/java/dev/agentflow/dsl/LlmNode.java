package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;

/**
 * A model call. With {@code tools} it is the tool-calling loop: the model asks for tools, each runs
 * as its own activity, results go back as tool messages until the model answers or {@code
 * maxIterations} model calls have been made.
 *
 * @param model name of an entry in {@link GraphDefinition#models()}
 * @param system system prompt template, or null
 * @param prompt user prompt template ({@code ${...}} expressions)
 * @param tools tool names the model may call; empty for a plain call
 * @param maxIterations bound on model calls in the tool loop (default 10)
 * @param outputSchema JSON Schema the reply must match (the reply is then parsed JSON), or null
 * @param onMaxIterations node to go to when the bound is reached, or null to fail the run
 * @param onError node to go to when the call fails for good (e.g. content filter), or null to fail
 * @param budget this node's own budget (tokens/cost over all its calls), or null
 */
public record LlmNode(
    String id,
    String model,
    String system,
    String prompt,
    List<String> tools,
    int maxIterations,
    JsonNode outputSchema,
    String onMaxIterations,
    String onError,
    Budget budget,
    Transitions transitions)
    implements Node {

  public static final int DEFAULT_MAX_ITERATIONS = 10;

  @Override
  public String kind() {
    return "llm";
  }

  @Override
  public List<Target> targets() {
    return Target.all(transitions.targets(), Target.conditional("onMaxIterations", onMaxIterations),
        Target.conditional("onError", onError), Target.ofBudget(budget));
  }

  @Override
  public List<ExpressionSite> expressions() {
    return ExpressionSite.all(ExpressionSite.template("system", system),
        ExpressionSite.template("prompt", prompt), transitions.expressions());
  }

  @Override
  public List<NameRef> references() {
    List<NameRef> refs = new ArrayList<>(NameRef.model("model", model));
    refs.addAll(NameRef.tools("tools", tools));
    return List.copyOf(refs);
  }

  @Override
  public List<SchemaSite> schemas() {
    return SchemaSite.of("outputSchema", outputSchema);
  }
}
