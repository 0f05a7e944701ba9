package dev.agentflow.engine.registry;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The small store of names, versions and aliases beside the blob store that holds the content: a
 * directory for the embedded default ({@link DirectoryRegistryIndex}), PostgreSQL in a deployment
 * ({@link PostgresRegistryIndex}). Both keep the same two promises, which {@link GraphRegistry}
 * builds on: a version is written at most once, whoever else writes it at the same moment (one
 * winner, every other writer is told what is there), and an alias changes in one atomic write.
 */
public interface RegistryIndex {

  /**
   * Writes a version unless one with its name and number exists.
   *
   * @return empty when this call wrote it; otherwise the version already there (same or other content)
   */
  Optional<VersionRecord> insert(VersionRecord version);

  Optional<VersionRecord> find(String name, int version);

  /** Every version of a graph, oldest number first; empty when the name is unknown. */
  List<VersionRecord> versions(String name);

  /** Every graph name, sorted. */
  List<String> names();

  /** The graph's aliases by name, sorted. */
  Map<String, AliasRoute> aliases(String name);

  /** Points an alias (new or existing) at {@code route}, in one atomic write. */
  void setAlias(String name, String alias, AliasRoute route);
}
