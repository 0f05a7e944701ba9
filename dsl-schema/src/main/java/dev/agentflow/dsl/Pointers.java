package dev.agentflow.dsl;

/** Builds the node-relative JSON pointers that {@link Target}, {@link ExpressionSite} and friends carry. */
final class Pointers {

  private Pointers() {}

  static String child(String parent, String key) {
    return parent + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  static String child(String parent, int index) {
    return parent + "/" + index;
  }
}
