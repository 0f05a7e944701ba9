package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Iterator;
import java.util.Map;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Checks of a tree that did not come through {@link DocumentReader} (a definition or an input
 * handed over as JSON): how deep it nests, measured without recursion so that measuring cannot
 * overflow the stack the limit protects, and whether it holds a number that is not finite.
 */
public final class TreeDepth {

  private TreeDepth() {}

  private record Entry(JsonNode node, String pointer, int depth) {}

  /**
   * The pointer of the first number that is not finite (infinity or NaN, which JSON parsers make of
   * {@code 1e999}); validators turn numbers into {@code BigDecimal}, which has neither.
   */
  public static Optional<String> firstNonFiniteNumber(JsonNode root) {
    return first(root, entry -> entry.node().isFloatingPointNumber() && !Double.isFinite(entry.node().doubleValue()));
  }

  /** The pointer of the first container nested deeper than {@code maxDepth}, if any. */
  public static Optional<String> deeperThan(JsonNode root, int maxDepth) {
    return first(root, entry -> entry.node().isContainerNode() && entry.depth() > maxDepth);
  }

  /** The pointer of the first node (depth first, with an explicit stack) that {@code match} accepts. */
  private static Optional<String> first(JsonNode root, Predicate<Entry> match) {
    if (root == null) {
      return Optional.empty();
    }
    Deque<Entry> pending = new ArrayDeque<>();
    pending.push(new Entry(root, "", 1));
    while (!pending.isEmpty()) {
      Entry entry = pending.pop();
      if (match.test(entry)) {
        return Optional.of(entry.pointer());
      }
      JsonNode node = entry.node();
      if (node.isArray()) {
        for (int i = 0; i < node.size(); i++) {
          pending.push(new Entry(node.get(i), JsonPointers.child(entry.pointer(), i), entry.depth() + 1));
        }
      } else if (node.isObject()) {
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
          Map.Entry<String, JsonNode> field = fields.next();
          pending.push(new Entry(field.getValue(), JsonPointers.child(entry.pointer(), field.getKey()),
              entry.depth() + 1));
        }
      }
    }
    return Optional.empty();
  }
}
