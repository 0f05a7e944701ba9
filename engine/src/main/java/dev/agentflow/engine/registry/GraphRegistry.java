package dev.agentflow.engine.registry;

import dev.agentflow.dsl.json.JsonMappers;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.LoadedDefinition;
import dev.agentflow.engine.blob.BlobNotFoundException;
import dev.agentflow.engine.blob.BlobStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Graph definitions by name and version, released like software: content in the blob store by
 * sha256, names, versions and aliases in a {@link RegistryIndex}. Versions are immutable (the same
 * number with other content is refused with the diff; the same content again is a no-op); an alias
 * names one version or splits new runs between several by weight, and moving it is one atomic write,
 * which is also how a release is rolled back.
 *
 * <p>Only definitions that passed every check reach {@link #deploy} (a {@link LoadedDefinition}), so
 * an invalid definition never stores anything.
 */
public final class GraphRegistry {

  private static final ObjectMapper JSON = JsonMappers.json();
  private static final int LISTED = 50;

  private final BlobStore blobs;
  private final RegistryIndex index;
  private final Clock clock;

  public GraphRegistry(BlobStore blobs, RegistryIndex index) {
    this(blobs, index, Clock.systemUTC());
  }

  GraphRegistry(BlobStore blobs, RegistryIndex index, Clock clock) {
    this.blobs = blobs;
    this.index = index;
    this.clock = clock;
  }

  /** What {@link #deploy} did. */
  public record Deployed(VersionRecord version, boolean created) {}

  /**
   * Stores a checked definition as its name and version.
   *
   * @return the version, and whether this call created it (false: the same content was there)
   * @throws RegistryException {@link RegistryException#VERSION_CONFLICT} with the diff, when the
   *     version exists with other content (also when another process wrote it a moment earlier)
   */
  public Deployed deploy(LoadedDefinition loaded) {
    String name = loaded.graph().name();
    int version = loaded.graph().version();
    Optional<VersionRecord> existing = index.find(name, version);
    if (existing.isPresent()) {
      return unchangedOrConflict(existing.get(), loaded);
    }
    String ref = blobs.put(loaded.canonicalJson().getBytes(StandardCharsets.UTF_8));
    if (!ref.equals("sha256:" + loaded.sha256())) {
      throw new IllegalStateException("the blob store returned " + ref + " for content with sha256 " + loaded.sha256()
          + ": a registry needs a content-addressed store (not inline)");
    }
    // milliseconds: what every index keeps the same way (PostgreSQL keeps microseconds, a file any)
    VersionRecord record = new VersionRecord(name, version, loaded.sha256(), Instant.now(clock).truncatedTo(ChronoUnit.MILLIS));
    Optional<VersionRecord> winner = index.insert(record);
    if (winner.isPresent()) {
      return unchangedOrConflict(winner.get(), loaded);
    }
    return new Deployed(record, true);
  }

  /**
   * What {@link #deploy} would refuse, without storing anything: a command deploying several files
   * checks them all first.
   *
   * @throws RegistryException {@link RegistryException#VERSION_CONFLICT} with the diff
   */
  public void check(LoadedDefinition loaded) {
    index.find(loaded.graph().name(), loaded.graph().version()).ifPresent(existing -> unchangedOrConflict(existing, loaded));
  }

  /** @throws RegistryException when {@code alias} is not a valid alias name */
  public static void checkAliasName(String alias) {
    if (alias == null || !GraphReference.NAME.matcher(alias).matches()) {
      throw new RegistryException(RegistryException.INVALID_REFERENCE,
          "'" + alias + "' is not an alias name (letters, digits, '.', '_', '-', starting with a letter or digit)");
    }
  }

  private Deployed unchangedOrConflict(VersionRecord existing, LoadedDefinition loaded) {
    if (existing.sha256().equals(loaded.sha256())) {
      return new Deployed(existing, false);
    }
    String diff = DefinitionDiff.unified(
        existing.name() + ":" + existing.version() + " (deployed, sha256 " + existing.sha256().substring(0, 12) + ")",
        definition(existing),
        existing.name() + ":" + existing.version() + " (this file, sha256 " + loaded.sha256().substring(0, 12) + ")",
        parse(loaded.canonicalJson()));
    throw new RegistryException(RegistryException.VERSION_CONFLICT,
        "version " + existing.version() + " of '" + existing.name() + "' is already deployed with other content"
            + " (versions are immutable: give the definition a new version)\n" + diff);
  }

  /**
   * Every version of a graph, oldest first.
   *
   * @throws RegistryException {@link RegistryException#GRAPH_NOT_FOUND} listing the graphs there are
   */
  public List<VersionRecord> versions(String name) {
    List<VersionRecord> versions = index.versions(name);
    if (versions.isEmpty()) {
      throw unknownGraph(name);
    }
    return versions;
  }

  /** The graph's aliases, sorted by name. */
  public Map<String, AliasRoute> aliases(String name) {
    return index.aliases(name);
  }

  /** One version. @throws RegistryException naming the versions there are */
  public VersionRecord version(String name, int version) {
    return index.find(name, version).orElseThrow(() -> unknownVersion(name, version));
  }

  /** A version's canonical definition (JSON), read from the blob store. */
  public JsonNode definition(VersionRecord version) {
    try {
      return parse(new String(blobs.get("sha256:" + version.sha256()), StandardCharsets.UTF_8));
    } catch (BlobNotFoundException e) {
      throw new IllegalStateException("version " + version.version() + " of '" + version.name() + "' names blob sha256:"
          + version.sha256() + ", which the blob store does not have: is this the blob store it was deployed to?", e);
    }
  }

  /** A unified diff of the canonical YAML of two versions; empty when they have the same content. */
  public String diff(String name, int from, int to) {
    VersionRecord a = version(name, from);
    VersionRecord b = version(name, to);
    return DefinitionDiff.unified(name + ":" + from, definition(a), name + ":" + to, definition(b));
  }

  /**
   * Points an alias at a route, every version of which must exist; one atomic write.
   *
   * @return the route it pointed at before, if any
   */
  public Optional<AliasRoute> alias(String name, String alias, AliasRoute route) {
    checkAliasName(alias);
    for (int version : route.versions()) {
      version(name, version);
    }
    Optional<AliasRoute> before = Optional.ofNullable(index.aliases(name).get(alias));
    index.setAlias(name, alias, route);
    return before;
  }

  /**
   * The version a run with this workflow id gets for a reference: an alias with weights picks by the
   * workflow id ({@link AliasRoute#pick}), {@code NAME} alone is the highest version.
   *
   * @throws RegistryException {@link RegistryException#GRAPH_NOT_FOUND} listing what exists
   */
  public ResolvedGraph resolve(GraphReference reference, String workflowId) {
    ResolvedGraph parent = resolveOne(reference, workflowId);
    List<SubgraphReferences.Pin> pins = new ArrayList<>();
    JsonNode pinned = SubgraphReferences.pin(parent.definition(), child -> resolveOne(child, workflowId), pins);
    return new ResolvedGraph(parent.reference(), parent.name(), parent.version(), parent.sha256(), parent.alias(), pinned, pins);
  }

  /**
   * Pins every registered child graph ({@code {ref: …}}) of a definition a run was started with,
   * as {@link #resolve} does for the children of a registered graph.
   */
  public PinnedDefinition pinSubgraphs(JsonNode definition, String workflowId) {
    List<SubgraphReferences.Pin> pins = new ArrayList<>();
    JsonNode pinned = SubgraphReferences.pin(definition, child -> resolveOne(child, workflowId), pins);
    return new PinnedDefinition(pinned, pins);
  }

  private ResolvedGraph resolveOne(GraphReference reference, String workflowId) {
    int version;
    if (reference.alias() != null) {
      Map<String, AliasRoute> aliases = index.aliases(reference.name());
      AliasRoute route = aliases.get(reference.alias());
      if (route == null) {
        List<VersionRecord> versions = versions(reference.name());
        throw new RegistryException(RegistryException.GRAPH_NOT_FOUND,
            "'" + reference.name() + "' has no alias '" + reference.alias() + "'; "
                + (aliases.isEmpty() ? "it has no aliases" : "aliases: " + describe(aliases))
                + "; versions: " + numbers(versions));
      }
      version = route.pick(workflowId);
    } else if (reference.version() != null) {
      version = reference.version();
    } else {
      List<VersionRecord> versions = versions(reference.name());
      version = versions.get(versions.size() - 1).version();
    }
    VersionRecord record = version(reference.name(), version);
    return new ResolvedGraph(reference.toString(), record.name(), record.version(), record.sha256(), reference.alias(),
        definition(record), List.of());
  }

  /** Where the index lives, for messages. */
  public String describeIndex() {
    return index.toString();
  }

  private RegistryException unknownGraph(String name) {
    List<String> names = index.names();
    String listed = names.isEmpty() ? "the registry (" + index + ") is empty: deploy one with `agentflow deploy FILE`"
        : "graphs: " + names.stream().limit(LISTED).collect(Collectors.joining(", "))
            + (names.size() > LISTED ? ", … (" + names.size() + " in all)" : "");
    return new RegistryException(RegistryException.GRAPH_NOT_FOUND, "no graph '" + name + "' in the registry; " + listed);
  }

  private RegistryException unknownVersion(String name, int version) {
    List<VersionRecord> versions = versions(name);
    return new RegistryException(RegistryException.GRAPH_NOT_FOUND,
        "'" + name + "' has no version " + version + "; versions: " + numbers(versions));
  }

  private static String numbers(List<VersionRecord> versions) {
    return versions.stream().map(v -> Integer.toString(v.version())).collect(Collectors.joining(", "));
  }

  private static String describe(Map<String, AliasRoute> aliases) {
    return aliases.entrySet().stream().map(e -> e.getKey() + " → " + e.getValue()).collect(Collectors.joining(", "));
  }

  private static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a stored definition is not JSON: " + e.getMessage(), e);
    }
  }
}
