package dev.agentflow.cli;

import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import dev.agentflow.engine.blob.InlineBlobStore;
import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.BlobStoreConfig;
import dev.agentflow.engine.config.ConfigLoader;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.ToolRegistry;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * Worker-side settings shared by {@code run} and {@code worker}: the engine config file (pools,
 * limits, blob store; {@code AGENTFLOW_*} environment variables override it), the blob store and the
 * offline provider. With no {@code OPENAI_API_KEY} in the environment, models answer from offline
 * scripts.
 */
final class EngineOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "engine config file (agentflow.yaml: pools, limits, blob store); AGENTFLOW_* environment variables override it")
  Path configFile;

  @Option(names = "--blob-dir", paramLabel = "DIR", description = "blob store directory (default: $AGENTFLOW_HOME/blobs or ~/.agentflow/blobs)")
  Path blobDir;

  @Option(names = "--offline", description = "answer every model from offline scripts, even with an API key")
  boolean offline;

  @Option(names = "--offline-script", paramLabel = "FILE|DIR", description = "offline script file, or a directory of *.offline.yaml (default: beside the definition)")
  Path offlineScript;

  EngineConfig config(Path definition, PrintWriter err) {
    SecretResolver secrets = SecretResolver.fromEnvironment();
    boolean forceOffline = offline || !secrets.isSet("env:OPENAI_API_KEY");
    Path scripts = offlineScript;
    if (scripts == null && definition != null) {
      Path sibling = siblingScript(definition);
      scripts = Files.exists(sibling) ? sibling : null;
    }
    ScriptLibrary library =
        scripts == null ? ScriptLibrary.empty()
            : Files.isDirectory(scripts) ? ScriptLibrary.loadDirectory(scripts) : ScriptLibrary.loadFile(scripts);
    if (forceOffline && !offline && err != null) {
      err.println("· no OPENAI_API_KEY set: models answer from offline scripts"
          + (scripts != null ? " (" + scripts + ")" : " (none found)"));
      err.flush();
    }
    AgentflowConfig settings = ConfigLoader.load(configFile, System.getenv());
    return new EngineConfig(ToolRegistry.loadFromClasspath(), blobStore(settings.blobStore()), secrets, library, forceOffline, settings);
  }

  /** {@code --blob-dir} wins over the config file's store. */
  private BlobStore blobStore(BlobStoreConfig store) {
    if (blobDir != null) {
      return new DirectoryBlobStore(blobDir);
    }
    if (store.type().equals(BlobStoreConfig.POSTGRES)) {
      String password = store.passwordEnv() == null ? null : System.getenv(store.passwordEnv());
      if (store.passwordEnv() != null && password == null) {
        throw new IllegalArgumentException("blobStore.passwordEnv names " + store.passwordEnv() + ", which is not set");
      }
      return new PostgresBlobStore(store.url(), store.user(), password);
    }
    if (store.type().equals(BlobStoreConfig.INLINE)) {
      return new InlineBlobStore();
    }
    Path directory = store.directory();
    return directory != null ? new DirectoryBlobStore(directory) : DirectoryBlobStore.atDefaultLocation();
  }

  static Path siblingScript(Path definition) {
    String name = definition.getFileName().toString();
    String base = name.replaceFirst("\\.(ya?ml|json)$", "");
    return definition.resolveSibling(base + ".offline.yaml");
  }
}
