package dev.agentflow.dsl.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.GraphDefinition;
import dev.agentflow.dsl.egress.HostRule;
import java.util.ArrayList;
import java.util.List;

/**
 * A definition's {@code egress.allow}: every entry is a host pattern or a CIDR, and a child graph
 * stays inside its parent's list. A child that names no list of its own takes its parent's (written
 * into the child, so the pinned canonical JSON and its sha256 carry it); one that does must name
 * only what some parent entry covers (a narrower range, or a host below an allowed domain).
 */
final class EgressChecks {

  private EgressChecks() {}

  /** Every entry parses. */
  static void check(GraphDefinition graph, ProblemCollector problems) {
    if (graph.egress() == null) {
      return;
    }
    List<String> allow = graph.egress().allow();
    for (int i = 0; i < allow.size(); i++) {
      try {
        HostRule.parse(allow.get(i));
      } catch (IllegalArgumentException e) {
        problems.atValue("/egress/allow/" + i, "egress.allow entry " + e.getMessage());
      }
    }
  }

  /**
   * Puts the parent's {@code egress} into a child that has none, or reports each entry of the
   * child's own list that the parent's does not cover.
   *
   * @param parentEgress the parent graph's {@code egress} object, or null when it does not narrow
   */
  static void underParent(ObjectNode document, JsonNode parentEgress, ProblemCollector problems) {
    if (parentEgress == null || !parentEgress.isObject()) {
      return;
    }
    JsonNode own = document.get("egress");
    if (own == null || own.isNull()) {
      document.set("egress", parentEgress.deepCopy());
      return;
    }
    List<HostRule> parent = rules(parentEgress.path("allow"));
    JsonNode allow = own.path("allow");
    for (int i = 0; i < allow.size(); i++) {
      HostRule rule;
      try {
        rule = HostRule.parse(allow.get(i).asText());
      } catch (IllegalArgumentException e) {
        continue; // reported by check()
      }
      if (parent.stream().noneMatch(outer -> covers(outer, rule))) {
        problems.atValue("/egress/allow/" + i, "egress.allow entry '" + rule.text() + "' is outside the parent graph's"
            + " egress.allow " + texts(parent) + ": a child graph may only narrow it");
      }
    }
  }

  private static boolean covers(HostRule outer, HostRule inner) {
    if (outer instanceof HostRule.Cidr range && inner instanceof HostRule.Cidr narrower) {
      return narrower.within(range);
    }
    if (outer instanceof HostRule.HostPattern pattern && inner instanceof HostRule.HostPattern narrower) {
      return narrower.within(pattern);
    }
    return false;
  }

  private static List<HostRule> rules(JsonNode allow) {
    List<HostRule> rules = new ArrayList<>();
    for (JsonNode entry : allow) {
      try {
        rules.add(HostRule.parse(entry.asText()));
      } catch (IllegalArgumentException e) {
        // the parent reports its own bad entries
      }
    }
    return rules;
  }

  private static List<String> texts(List<HostRule> rules) {
    return rules.stream().map(HostRule::text).toList();
  }
}
