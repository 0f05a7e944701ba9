package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.EndNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.LlmNode;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.Route;
import dev.agentflow.dsl.ToolNode;
import dev.agentflow.dsl.expr.ExpressionSyntax;
import dev.agentflow.dsl.expr.SharedJsEngine;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.dsl.expr.TemplateSyntaxException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.graalvm.polyglot.Context;

/**
 * Every expression ({@code routes[].when}, {@code set} values, {@code end.output}) compiles and
 * every template (llm {@code system} and {@code prompt}, each string inside tool {@code arguments})
 * parses and its expressions compile, so a typo fails the load rather than a run hours later.
 *
 * <p>Parsing never runs code. One parsing context serves the whole definition, because creating a
 * context per expression is what makes validation slow.
 */
public final class ExpressionChecks implements AutoCloseable {

  private final ProblemCollector problems;
  private Context context;

  private ExpressionChecks(ProblemCollector problems) {
    this.problems = problems;
  }

  public static void check(GraphDefinition graph, ProblemCollector problems) {
    try (ExpressionChecks checks = new ExpressionChecks(problems)) {
      for (Node node : graph.nodes().values()) {
        checks.checkNode(node);
      }
    }
  }

  private void checkNode(Node node) {
    String pointer = JsonPointers.node(node.id());
    if (node instanceof LlmNode llm) {
      template(llm.system(), JsonPointers.child(pointer, "system"));
      template(llm.prompt(), JsonPointers.child(pointer, "prompt"));
    } else if (node instanceof ToolNode tool) {
      arguments(tool.arguments(), JsonPointers.child(pointer, "arguments"));
    } else if (node instanceof EndNode end) {
      expression(end.output(), JsonPointers.child(pointer, "output"));
    }
    List<Route> routes = node.transitions().routes();
    for (int i = 0; i < routes.size(); i++) {
      String routePointer = JsonPointers.child(JsonPointers.child(pointer, "routes"), i);
      expression(routes.get(i).when(), JsonPointers.child(routePointer, "when"));
    }
    for (Map.Entry<String, String> entry : node.transitions().set().entrySet()) {
      expression(entry.getValue(), JsonPointers.child(JsonPointers.child(pointer, "set"), entry.getKey()));
    }
  }

  private void arguments(JsonNode value, String pointer) {
    if (value == null) {
      return;
    }
    if (value.isTextual()) {
      template(value.textValue(), pointer);
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        arguments(entry.getValue(), JsonPointers.child(pointer, entry.getKey()));
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        arguments(value.get(i), JsonPointers.child(pointer, i));
      }
    }
  }

  private void expression(String source, String pointer) {
    if (source == null) {
      return;
    }
    ExpressionSyntax.check(context(), source).ifPresent(problem -> problems.atValue(pointer,
        PointerText.field(pointer) + " is not a valid expression: " + problem));
  }

  private void template(String text, String pointer) {
    if (text == null) {
      return;
    }
    Template template;
    try {
      template = Template.parse(text);
    } catch (TemplateSyntaxException e) {
      problems.inside(pointer, text, e.offset(),
          PointerText.field(pointer) + " is not a valid template: " + e.getMessage());
      return;
    }
    for (Template.Part part : template.parts()) {
      if (part instanceof Template.Expression expression) {
        Optional<String> problem = ExpressionSyntax.check(context(), expression.source());
        problem.ifPresent(message -> problems.inside(pointer, text, expression.offset(),
            PointerText.field(pointer) + " has an invalid expression ${" + expression.source()
                + "}: " + message));
      }
    }
  }

  private Context context() {
    if (context == null) {
      context = Context.newBuilder("js").engine(SharedJsEngine.get()).allowAllAccess(false).build();
    }
    return context;
  }

  @Override
  public void close() {
    if (context != null) {
      context.close();
    }
  }
}
