package dev.agentflow.tools;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.TreeMap;

/**
 * The tools a worker can run, by name. Built from {@link ServiceLoader} so a tool jar on the
 * classpath is enough to add a tool; tests build one from explicit instances.
 */
public final class ToolRegistry {

  private final Map<String, Tool> tools;

  private ToolRegistry(Map<String, Tool> tools) {
    this.tools = tools;
  }

  /** Every {@link Tool} found on the classpath. */
  public static ToolRegistry loadFromClasspath() {
    return of(ServiceLoader.load(Tool.class).stream().map(ServiceLoader.Provider::get).toList());
  }

  /**
   * A registry of exactly these tools.
   *
   * @throws IllegalArgumentException when two tools share a name
   */
  public static ToolRegistry of(Collection<? extends Tool> tools) {
    Map<String, Tool> byName = new TreeMap<>();
    for (Tool tool : tools) {
      Tool previous = byName.put(tool.name(), tool);
      if (previous != null) {
        throw new IllegalArgumentException(
            "two tools are named '" + tool.name() + "': " + previous.getClass().getName() + " and "
                + tool.getClass().getName());
      }
    }
    return new ToolRegistry(Map.copyOf(byName));
  }

  /** A registry with these tools added to (or replacing) this one's. */
  public ToolRegistry with(List<? extends Tool> more) {
    Map<String, Tool> byName = new TreeMap<>(tools);
    for (Tool tool : more) {
      byName.put(tool.name(), tool);
    }
    return new ToolRegistry(Map.copyOf(byName));
  }

  public Optional<Tool> find(String name) {
    return Optional.ofNullable(tools.get(name));
  }

  /** Tool names, sorted. */
  public Set<String> names() {
    return Set.copyOf(new TreeMap<>(tools).keySet());
  }
}
