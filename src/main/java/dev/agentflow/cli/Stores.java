package dev.agentflow.cli;

import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.blob.InlineBlobStore;
import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.config.BlobStoreConfig;
import dev.agentflow.engine.registry.DirectoryRegistryIndex;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.registry.PostgresRegistryIndex;
import java.nio.file.Path;

/**
 * The blob store and the graph registry a command uses, from the engine config and the command
 * line, the same way for workers and for the registry commands: a registry on a PostgreSQL blob
 * store keeps its index in that database; otherwise in a directory.
 */
final class Stores {

  private Stores() {}

  /** {@code --blob-dir} wins over the config file's store. */
  static BlobStore blobStore(BlobStoreConfig store, Path blobDir) {
    if (blobDir != null) {
      return new DirectoryBlobStore(blobDir);
    }
    if (store.type().equals(BlobStoreConfig.POSTGRES)) {
      String password = store.passwordEnv() == null ? null : System.getenv(store.passwordEnv());
      if (store.passwordEnv() != null && password == null) {
        throw CliException.usage("blobStore.passwordEnv names " + store.passwordEnv() + ", which is not set");
      }
      return new PostgresBlobStore(store.url(), store.user(), password);
    }
    if (store.type().equals(BlobStoreConfig.INLINE)) {
      return new InlineBlobStore();
    }
    Path directory = store.directory();
    return directory != null ? new DirectoryBlobStore(directory) : DirectoryBlobStore.atDefaultLocation();
  }

  /**
   * The registry on {@code blobs}: its index in the same PostgreSQL database, or in {@code
   * registryDir} (default {@code $AGENTFLOW_HOME/registry}). With references turned off ({@code
   * inline}) the content goes to the default blob directory, since a registry needs stored content.
   */
  static GraphRegistry registry(BlobStore blobs, Path registryDir) {
    if (blobs instanceof PostgresBlobStore postgres && registryDir == null) {
      return new GraphRegistry(postgres, new PostgresRegistryIndex(postgres.database()));
    }
    BlobStore content = blobs instanceof InlineBlobStore ? DirectoryBlobStore.atDefaultLocation() : blobs;
    return new GraphRegistry(content,
        registryDir != null ? new DirectoryRegistryIndex(registryDir) : DirectoryRegistryIndex.atDefaultLocation());
  }
}
