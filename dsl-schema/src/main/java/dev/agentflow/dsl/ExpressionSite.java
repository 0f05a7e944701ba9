package dev.agentflow.dsl;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One piece of JavaScript a node carries, so that validation can compile every one of them when
 * the definition loads without knowing node kinds.
 *
 * @param pointer where it is written, relative to the node (e.g. {@code /prompt})
 * @param text the expression, or the template text
 * @param isTemplate true for text with {@code ${...}} parts, false for one expression
 */
public record ExpressionSite(String pointer, String text, boolean isTemplate) {

  static List<ExpressionSite> expression(String field, String text) {
    return text == null ? List.of() : List.of(new ExpressionSite("/" + field, text, false));
  }

  static List<ExpressionSite> template(String field, String text) {
    return text == null ? List.of() : List.of(new ExpressionSite("/" + field, text, true));
  }

  /** Every string inside {@code value}, at any depth, as a template (tool arguments). */
  static List<ExpressionSite> templatesIn(JsonNode value, String pointer) {
    List<ExpressionSite> sites = new ArrayList<>();
    collect(value, pointer, sites);
    return List.copyOf(sites);
  }

  /** The same site seen from a node that contains this one under {@code prefix}. */
  ExpressionSite under(String prefix) {
    return new ExpressionSite(prefix + pointer, text, isTemplate);
  }

  @SafeVarargs
  static List<ExpressionSite> all(List<ExpressionSite>... parts) {
    List<ExpressionSite> sites = new ArrayList<>();
    for (List<ExpressionSite> part : parts) {
      sites.addAll(part);
    }
    return List.copyOf(sites);
  }

  private static void collect(JsonNode value, String pointer, List<ExpressionSite> sites) {
    if (value == null) {
      return;
    }
    if (value.isTextual()) {
      sites.add(new ExpressionSite(pointer, value.textValue(), true));
    } else if (value.isObject()) {
      for (Map.Entry<String, JsonNode> entry : value.properties()) {
        collect(entry.getValue(), Pointers.child(pointer, entry.getKey()), sites);
      }
    } else if (value.isArray()) {
      for (int i = 0; i < value.size(); i++) {
        collect(value.get(i), Pointers.child(pointer, i), sites);
      }
    }
  }
}
