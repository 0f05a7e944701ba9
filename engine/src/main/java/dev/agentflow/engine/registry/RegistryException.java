package dev.agentflow.engine.registry;

/**
 * A registry request that cannot be served as asked: an unknown name, version or alias (the message
 * lists what exists), or a version deployed again with other content (the message shows the diff).
 * {@link #type()} is stable: a run that cannot resolve its reference fails with it.
 */
public final class RegistryException extends RuntimeException {

  /** A name, version or alias the registry does not have. */
  public static final String GRAPH_NOT_FOUND = "GraphNotFound";

  /** A version that exists with other content: versions are immutable. */
  public static final String VERSION_CONFLICT = "VersionConflict";

  /** A reference or alias route that does not parse, or names versions that do not exist. */
  public static final String INVALID_REFERENCE = "InvalidGraphReference";

  private final String type;

  public RegistryException(String type, String message) {
    super(message);
    this.type = type;
  }

  public String type() {
    return type;
  }
}
