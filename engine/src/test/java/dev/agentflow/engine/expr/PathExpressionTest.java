package dev.agentflow.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.expr.Template;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Paths answered in Java must give JavaScript's answer exactly. Each case is evaluated twice: as
 * written (the Java path when it applies) and wrapped in parentheses, which no path matches, so
 * JavaScript evaluates it; the two must agree, errors included.
 */
class PathExpressionTest {

  private static final ObjectMapper JSON = new ObjectMapper();

  private final ExpressionSandbox sandbox = new ExpressionSandbox(() -> 0L, () -> 0.5);

  private static final List<String> PATHS = List.of(
      "input.text", "input.empty", "input.count", "input.zero", "input.big", "input.huge", "input.ratio",
      "input.whole", "input.flag", "input.nothing", "input.list", "input.nested", "input.nested.deep.value",
      "input.indexed", "input.control", "input.unicode", "input.missing", "input.missing.deeper",
      "input.text.length", "input.list.length", "input.constructor", "input.toString", "input.__proto__",
      "nodes.plan.output", "nodes.plan.output.steps", "vars", "output", "item", "item.anything",
      " input . text ", "input.nothing.deeper", "Math", "undefinedName");

  @AfterEach
  void close() {
    sandbox.close();
  }

  private static Scope scope() throws Exception {
    JsonNode input = JSON.readTree("""
        {"text": "tides", "empty": "", "count": 3, "zero": 0, "big": 9007199254740991, "huge": 9007199254740993,
         "ratio": 0.25, "whole": 2.0, "flag": false, "nothing": null, "list": [1, "two", {"three": 3}],
         "nested": {"deep": {"value": "x"}, "b": 1, "a": 2}, "indexed": {"b": 1, "10": 2, "2": 3},
         "control": "line\\nbreak\\ttab\\u0001", "unicode": "caf\\u00e9 \\ud83d\\ude00 \\u2028"}
        """);
    JsonNode nodes = JSON.readTree("{\"plan\": {\"output\": {\"steps\": [\"a\", \"b\"]}}}");
    return new Scope(input, nodes, JSON.createObjectNode(), null, null, null, null, null, null, null);
  }

  @Test
  void a_path_evaluates_to_what_javascript_gives() throws Exception {
    Scope scope = scope();
    for (String path : PATHS) {
      Object viaPath = outcome(() -> sandbox.evaluate(path, scope));
      Object viaJs = outcome(() -> sandbox.evaluate("(" + path + ")", scope));
      assertThat(viaPath).as(path).isEqualTo(viaJs);
    }
  }

  @Test
  void a_path_tests_as_javascript_truthiness() throws Exception {
    Scope scope = scope();
    for (String path : PATHS) {
      Object viaPath = outcome(() -> sandbox.test(path, scope));
      Object viaJs = outcome(() -> sandbox.test("(" + path + ")", scope));
      assertThat(viaPath).as(path).isEqualTo(viaJs);
    }
  }

  @Test
  void a_path_renders_in_a_template_as_javascript_renders_it() throws Exception {
    Scope scope = scope();
    for (String path : PATHS) {
      Object viaPath = outcome(() -> sandbox.render(Template.parse("<${" + path + "}>"), scope));
      Object viaJs = outcome(() -> sandbox.render(Template.parse("<${(" + path + ")}>"), scope));
      assertThat(viaPath).as(path).isEqualTo(viaJs);
    }
  }

  @Test
  void paths_alone_never_create_a_javascript_context() throws Exception {
    Scope scope = scope();

    sandbox.evaluate("nodes.plan.output", scope);
    sandbox.test("input.flag", scope);
    sandbox.render(Template.parse("Topic: ${input.text} (${input.count})"), scope);

    assertThat(sandbox.hasContext()).isFalse();
  }

  @Test
  void a_path_result_is_a_copy_the_caller_may_change() throws Exception {
    Scope scope = scope();

    ((com.fasterxml.jackson.databind.node.ObjectNode) sandbox.evaluate("nodes.plan.output", scope)).put("changed", true);

    assertThat(scope.nodes().path("plan").path("output").has("changed")).isFalse();
  }

  @Test
  void a_path_over_the_size_cap_fails_as_javascript_fails() throws Exception {
    ExpressionSandbox small = new ExpressionSandbox(() -> 0L, () -> 0.5, new SandboxLimits(10_000, java.time.Duration.ofSeconds(1), 8));
    try {
      Scope scope = scope();
      assertThat(outcome(() -> small.evaluate("nodes.plan.output", scope)))
          .isEqualTo(outcome(() -> small.evaluate("(nodes.plan.output)", scope)))
          .asString().contains("size cap");
    } finally {
      small.close();
    }
  }

  /** The value, or the failure's kind and message with the expression text removed. */
  private static Object outcome(ThrowingSupplier supplier) {
    Throwable failure = catchThrowable(() -> RESULT.set(supplier.get()));
    if (failure instanceof ExpressionException expression) {
      return expression.kind() + ": " + expression.getMessage().replace("(", "").replace(")", "");
    }
    if (failure != null) {
      return failure.toString();
    }
    return RESULT.get();
  }

  private static final ThreadLocal<Object> RESULT = new ThreadLocal<>();

  private interface ThrowingSupplier {
    Object get() throws Exception;
  }
}
