package dev.agentflow.dsl;

import java.util.ArrayList;
import java.util.List;

/**
 * A name a node uses that must be defined outside the node graph: a model under {@code models} or
 * a tool in the engine's registry.
 *
 * @param kind what the name refers to
 * @param name the name as written
 * @param pointer where it is written, relative to the node (e.g. {@code /tools/0})
 */
public record NameRef(Kind kind, String name, String pointer) {

  /** What a name refers to. */
  public enum Kind {
    MODEL,
    TOOL
  }

  static List<NameRef> model(String field, String name) {
    return List.of(new NameRef(Kind.MODEL, name, "/" + field));
  }

  static List<NameRef> tool(String field, String name) {
    return List.of(new NameRef(Kind.TOOL, name, "/" + field));
  }

  static List<NameRef> tools(String field, List<String> names) {
    List<NameRef> refs = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      refs.add(new NameRef(Kind.TOOL, names.get(i), Pointers.child("/" + field, i)));
    }
    return List.copyOf(refs);
  }

  NameRef under(String prefix) {
    return new NameRef(kind, name, prefix + pointer);
  }
}
