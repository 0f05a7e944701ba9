package dev.agentflow.dsl.internal;

import dev.agentflow.dsl.ExpressionSite;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.Node;
import dev.agentflow.dsl.expr.ExpressionSyntax;
import dev.agentflow.dsl.expr.SharedJsEngine;
import dev.agentflow.dsl.expr.Template;
import dev.agentflow.dsl.expr.TemplateSyntaxException;
import dev.agentflow.dsl.ReadLimits;
import dev.agentflow.dsl.expr.ExpressionDepth;
import java.util.Optional;
import java.util.OptionalInt;
import org.graalvm.polyglot.Context;

/**
 * Every expression and template a node lists in {@link Node#expressions()} compiles (templates
 * parse and their expressions compile) and uses no syntax expressions may not use (async
 * functions, await, import(), BigInt literals), so a typo fails the load rather than a run hours
 * later.
 *
 * <p>Parsing never runs code. One parsing context serves the whole definition, because creating a
 * context per expression is what makes validation slow, and it is created only when an expression
 * has not been parsed before in this JVM ({@link SyntaxMemo}).
 */
public final class ExpressionChecks implements AutoCloseable {

  private final ProblemCollector problems;
  private final int maxDepth;
  private Context context;

  private ExpressionChecks(ProblemCollector problems, int maxDepth) {
    this.problems = problems;
    this.maxDepth = maxDepth;
  }

  public static void check(GraphDefinition graph, ReadLimits limits, ProblemCollector problems) {
    try (ExpressionChecks checks = new ExpressionChecks(problems, limits.maxExpressionDepth())) {
      for (Node node : graph.nodes().values()) {
        for (ExpressionSite site : node.expressions()) {
          String pointer = JsonPointers.node(node.id()) + site.pointer();
          if (site.isTemplate()) {
            checks.template(site.text(), pointer);
          } else {
            checks.expression(site.text(), pointer);
          }
        }
      }
    }
  }

  private void expression(String source, String pointer) {
    if (source == null) {
      return;
    }
    if (source.length() > ExpressionSyntax.MAX_LENGTH) {
      problems.atValue(pointer, PointerText.field(pointer) + " is not a valid expression: "
          + ExpressionSyntax.tooLongMessage(source));
      return;
    }
    OptionalInt tooDeep = ExpressionDepth.firstTooDeep(source, maxDepth);
    if (tooDeep.isPresent()) {
      problems.inside(pointer, source, tooDeep.getAsInt(), PointerText.field(pointer)
          + " is not a valid expression: " + ExpressionSyntax.tooDeepMessage(source, tooDeep.getAsInt(), maxDepth));
      return;
    }
    syntaxProblem(source).ifPresent(problem -> problems.atValue(pointer,
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
        if (expression.source().length() > ExpressionSyntax.MAX_LENGTH) {
          problems.inside(pointer, text, expression.offset(), PointerText.field(pointer)
              + " has an invalid expression: " + ExpressionSyntax.tooLongMessage(expression.source()));
          continue;
        }
        OptionalInt tooDeep = ExpressionDepth.firstTooDeep(expression.source(), maxDepth);
        if (tooDeep.isPresent()) {
          problems.inside(pointer, text, expression.offset() + tooDeep.getAsInt(), PointerText.field(pointer)
              + " has an invalid expression: "
              + ExpressionSyntax.tooDeepMessage(expression.source(), tooDeep.getAsInt(), maxDepth));
          continue;
        }
        Optional<String> problem = syntaxProblem(expression.source());
        problem.ifPresent(message -> problems.inside(pointer, text, expression.offset(),
            PointerText.field(pointer) + " has an invalid expression ${" + expression.source()
                + "}: " + message));
      }
    }
  }

  /**
   * Parses in this check's context only the expressions no earlier load has parsed; an expression
   * that parses must also avoid the syntax expressions may not use ({@link ExpressionSyntax#checkAllowed}).
   */
  private Optional<String> syntaxProblem(String source) {
    return SyntaxMemo.problem(source,
        text -> ExpressionSyntax.check(context(), text).or(() -> ExpressionSyntax.checkAllowed(text)));
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
