package dev.agentflow.cli;

import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigException;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.registry.GraphRegistry;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Which graph registry the registry commands ({@code deploy}, {@code versions}, {@code diff}, {@code
 * alias}) work on: the one the workers use, found from the same engine config (a PostgreSQL blob
 * store keeps the registry in its database) or the same directories.
 */
final class RegistryOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "engine config file (agentflow.yaml): its blob store decides where the registry is")
  Path configFile;

  @Option(names = "--blob-dir", paramLabel = "DIR", description = "blob store directory (default: $AGENTFLOW_HOME/blobs or ~/.agentflow/blobs)")
  Path blobDir;

  @Option(names = "--registry-dir", paramLabel = "DIR",
      description = "registry directory, when the blob store is not PostgreSQL (default: $AGENTFLOW_HOME/registry or ~/.agentflow/registry)")
  Path registryDir;

  /** @throws CliException when a file named here cannot be used */
  GraphRegistry open() {
    OptionFiles.requireFile("--config", configFile);
    OptionFiles.requireDirectoryOrCreatable("--blob-dir", blobDir);
    OptionFiles.requireDirectoryOrCreatable("--registry-dir", registryDir);
    AgentflowConfig settings;
    try {
      settings = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      throw CliException.failed("the engine config cannot be used: " + e.getMessage());
    }
    return Stores.registry(Stores.blobStore(settings.blobStore(), blobDir), registryDir);
  }
}
