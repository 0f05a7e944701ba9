package dev.agentflow.dsl.internal;

/** Builds RFC 6901 JSON pointers, the address every problem carries. */
public final class JsonPointers {

  private JsonPointers() {}

  /** {@code parent} extended by one object key, escaping {@code ~} and {@code /}. */
  public static String child(String parent, String key) {
    return parent + "/" + key.replace("~", "~0").replace("/", "~1");
  }

  /** {@code parent} extended by one array index. */
  public static String child(String parent, int index) {
    return parent + "/" + index;
  }

  /** The pointer of the node with this id. */
  public static String node(String nodeId) {
    return child("/nodes", nodeId);
  }
}
