package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.dsl.InputValidator;
import dev.agentflow.dsl.LoadedDefinition;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The bound definitions and compiled payload schemas of a worker, shared by all its runs of the
 * same definition, so a cached run does not keep its own copy of what every run of that
 * definition has (~7 KB for the bound {@code approval-gate}, ~2 KB per compiled schema).
 *
 * <p>Binding and compiling are pure: the same definition text (or JSON, in its written key order,
 * which matters for {@code set} and {@code branches}) under the same source name binds to the same
 * graph, so a run that gets a shared binding behaves exactly as one that bound its own, on first
 * execution and on replay. Both are immutable and safe to read from many workflow threads. A
 * compiled schema is shared by the identity of the schema node in a shared graph, never by equal
 * content, so a run's validation messages come from its own definition's schema as written. At
 * most {@link #DEFINITIONS} definitions (the least recently used go) and {@link #SCHEMAS} schemas
 * are kept.
 */
final class SharedBindings {

  static final int DEFINITIONS = 256;
  static final int SCHEMAS = 1024;

  private static final Map<String, LoadedDefinition> BOUND = lru(DEFINITIONS);
  private static final Map<SameNode, InputValidator> COMPILED = lru(SCHEMAS);

  private SharedBindings() {}

  /** The definition bound once per worker; {@code bind} runs when it is not held. */
  static LoadedDefinition definition(JsonNode definition, String sourceName, Supplier<LoadedDefinition> bind) {
    return heldOrMade(BOUND, key(definition, sourceName), bind);
  }

  /** The compiled validator of {@code schema} (a node of a shared graph); {@code compile} runs when it is not held. */
  static InputValidator validator(JsonNode schema, Supplier<InputValidator> compile) {
    return heldOrMade(COMPILED, new SameNode(schema), compile);
  }

  /**
   * The value {@code map} holds for {@code key}, or the one {@code make} makes (outside the lock: binding
   * and compiling take a while); of two threads that made one at once, both get the first one kept.
   */
  private static <K, V> V heldOrMade(Map<K, V> map, K key, Supplier<V> make) {
    synchronized (map) {
      V held = map.get(key);
      if (held != null) {
        return held;
      }
    }
    V made = make.get();
    synchronized (map) {
      V raced = map.putIfAbsent(key, made);
      return raced != null ? raced : made;
    }
  }

  /** How many definitions are held (tests). */
  static int heldDefinitions() {
    synchronized (BOUND) {
      return BOUND.size();
    }
  }

  private static String key(JsonNode definition, String sourceName) {
    try {
      String text = definition.isTextual() ? "text\n" + definition.asText()
          : "json\n" + RunContext.JSON.writeValueAsString(definition);
      return sourceName + "\n" + text;
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a definition tree could not be written", e);
    }
  }

  private static <K, V> Map<K, V> lru(int max) {
    return new LinkedHashMap<>(16, 0.75f, true) {
      @Override
      protected boolean removeEldestEntry(Map.Entry<K, V> eldest) {
        return size() > max;
      }
    };
  }

  /** A map key equal only to the same node object. */
  private record SameNode(JsonNode node) {
    @Override
    public boolean equals(Object other) {
      return other instanceof SameNode same && same.node == node;
    }

    @Override
    public int hashCode() {
      return System.identityHashCode(node);
    }
  }
}
