package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.engine.expr.Scope;
import io.temporal.failure.ApplicationFailure;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Lets expressions read node outputs that are stored by reference as their values. A tool result
 * over the inline limit (2 KiB) is a node output {@code {ref, sizeBytes, preview}}, and a child
 * run's output over 64 KiB is {@code {$ref, sizeBytes, preview}} (for a subgraph node, and for each
 * branch in a fan-out's results); read as they are, {@code ${nodes.fetch.output.body}} would render
 * as an empty string.
 *
 * <p>Before an expression is evaluated, the outputs it names ({@code output}, {@code
 * nodes.<id>...}, or every node when it uses {@code nodes} in any other way) are scanned for such
 * references (the output itself, or the direct elements of a fan-out's results), and each one is
 * loaded through the {@code LoadValue} activity and put in the expression's scope in its place. A
 * load costs three history events and the value's JSON in the activity's result, once per value
 * per run (and again after continue-as-new). At most {@link #MAX_LOADED_BYTES} per expression are
 * loaded; an expression that needs more fails the run with an {@link FailureTypes#EXPRESSION_ERROR}
 * naming the node, the path and the size, never a silent empty string.
 *
 * <p>The stored outputs (and so checkpoints and variables) keep the references; only scopes get
 * the values.
 */
final class ReferencedOutputs {

  /** The most bytes of stored values one expression may read. */
  static final long MAX_LOADED_BYTES = 256 * 1024;

  private static final Pattern STATIC_NODE =
      Pattern.compile("\\bnodes\\s*(?:\\.\\s*([A-Za-z_$][A-Za-z0-9_$]*)|\\[\\s*(['\"])([A-Za-z0-9_$]+)\\2\\s*\\])");
  private static final Pattern ANY_NODES = Pattern.compile("(?<![.\\w$])nodes\\b");
  private static final Pattern OUTPUT = Pattern.compile("(?<![.\\w$])output\\b");

  private final Map<String, JsonNode> loaded = new TreeMap<>();

  /** The scope {@code expression} should see: {@code scope} with the references it reads loaded. */
  Scope resolve(String nodeId, String what, String expression, Scope scope) {
    Scope resolved = scope;
    if (scope.output() != null && OUTPUT.matcher(expression).find() && holdsReference(scope.output())) {
      resolved = resolved.withOutput(load(scope.output(), "output", nodeId, what, expression));
    }
    JsonNode nodes = scope.nodes();
    if (nodes == null || !nodes.isObject()) {
      return resolved;
    }
    ObjectNode replaced = null;
    for (String id : namedNodes(expression, nodes)) {
      JsonNode output = nodes.path(id).get("output");
      if (output != null && holdsReference(output)) {
        if (replaced == null) {
          replaced = RunContext.JSON.createObjectNode();
          replaced.setAll((ObjectNode) nodes);
        }
        replaced.putObject(id).set("output", load(output, "nodes." + id + ".output", nodeId, what, expression));
      }
    }
    return replaced == null ? resolved : withNodes(resolved, replaced);
  }

  /** Whether {@code value} is a stored reference, or an array or object with one as a direct element. */
  static boolean holdsReference(JsonNode value) {
    if (isReference(value)) {
      return true;
    }
    if (value.isArray() || value.isObject()) {
      for (JsonNode element : value) {
        if (isReference(element)) {
          return true;
        }
      }
    }
    return false;
  }

  /** {@code {ref|$ref: "sha256:…"|"inline:…", sizeBytes: n, preview: "…"}}, and nothing else. */
  static boolean isReference(JsonNode value) {
    if (value == null || !value.isObject() || value.size() != 3) {
      return false;
    }
    JsonNode ref = value.has("ref") ? value.get("ref") : value.get("$ref");
    return ref != null && ref.isTextual()
        && (ref.textValue().startsWith("sha256:") || ref.textValue().startsWith("inline:"))
        && value.path("sizeBytes").isIntegralNumber() && value.path("preview").isTextual();
  }

  /** The node ids {@code expression} reads: those it names, or all when it uses {@code nodes} otherwise. */
  private static Set<String> namedNodes(String expression, JsonNode nodes) {
    Set<String> named = new LinkedHashSet<>();
    Matcher statics = STATIC_NODE.matcher(expression);
    int staticUses = 0;
    while (statics.find()) {
      named.add(statics.group(1) != null ? statics.group(1) : statics.group(3));
      staticUses++;
    }
    Matcher uses = ANY_NODES.matcher(expression);
    int allUses = 0;
    while (uses.find()) {
      allUses++;
    }
    if (allUses > staticUses) {
      nodes.fieldNames().forEachRemaining(named::add);
    }
    return named;
  }

  /** The value with its references loaded: itself when it is one, else each direct element that is one. */
  private JsonNode load(JsonNode value, String path, String nodeId, String what, String expression) {
    long bytes = referencedBytes(value);
    if (bytes > MAX_LOADED_BYTES) {
      throw ApplicationFailure.newNonRetryableFailure(
          "node '" + nodeId + "': " + what + " `" + ExpressionGuard.abbreviate(expression) + "` reads " + path
              + ", which is stored by reference (" + bytes + " bytes); expressions may read at most "
              + MAX_LOADED_BYTES + " bytes of stored values",
          FailureTypes.EXPRESSION_ERROR);
    }
    if (isReference(value)) {
      return valueOf(value, nodeId);
    }
    JsonNode copy = value.deepCopy();
    if (copy instanceof ArrayNode array) {
      for (int i = 0; i < array.size(); i++) {
        if (isReference(array.get(i))) {
          array.set(i, valueOf(array.get(i), nodeId));
        }
      }
    } else if (copy instanceof ObjectNode object) {
      for (Iterator<String> names = value.fieldNames(); names.hasNext(); ) {
        String name = names.next();
        if (isReference(object.get(name))) {
          object.set(name, valueOf(object.get(name), nodeId));
        }
      }
    }
    return copy;
  }

  private static long referencedBytes(JsonNode value) {
    if (isReference(value)) {
      return value.get("sizeBytes").asLong();
    }
    long bytes = 0;
    for (JsonNode element : value) {
      if (isReference(element)) {
        bytes += element.get("sizeBytes").asLong();
      }
    }
    return bytes;
  }

  /** Loads one reference through an activity (summary: node {@code nodeId}), once per run execution. */
  private JsonNode valueOf(JsonNode reference, String nodeId) {
    String ref = (reference.has("ref") ? reference.get("ref") : reference.get("$ref")).textValue();
    JsonNode value = loaded.get(ref);
    if (value == null) {
      value = LargeOutputs.load(nodeId, ref);
      loaded.put(ref, value);
    }
    return value;
  }

  private static Scope withNodes(Scope scope, JsonNode nodes) {
    return new Scope(scope.input(), nodes, scope.vars(), scope.visits(), scope.usage(), scope.run(), scope.output(),
        scope.item(), scope.index(), scope.review());
  }
}
