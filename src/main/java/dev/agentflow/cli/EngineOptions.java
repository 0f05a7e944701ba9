package dev.agentflow.cli;

import dev.agentflow.dsl.DefinitionException;
import dev.agentflow.engine.EngineConfig;
import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.config.ConfigException;
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
 * limits, blob store; {@code AGENTFLOW_*} environment variables override it), the blob store, the
 * graph registry and the offline provider. With no {@code OPENAI_API_KEY} in the environment, models answer from offline
 * scripts. Every file and directory named here is checked before anything starts.
 */
final class EngineOptions {

  @Option(names = "--config", paramLabel = "FILE", description = "engine config file (agentflow.yaml: pools, limits, blob store); AGENTFLOW_* environment variables override it")
  Path configFile;

  @Option(names = "--blob-dir", paramLabel = "DIR", description = "blob store directory (default: $AGENTFLOW_HOME/blobs or ~/.agentflow/blobs)")
  Path blobDir;

  @Option(names = "--registry-dir", paramLabel = "DIR",
      description = "graph registry directory, when the blob store is not PostgreSQL (default: $AGENTFLOW_HOME/registry or ~/.agentflow/registry)")
  Path registryDir;

  @Option(names = "--offline", description = "answer every model from offline scripts, even with an API key")
  boolean offline;

  @Option(names = "--offline-script", paramLabel = "FILE|DIR", description = "offline script file, or a directory of *.offline.yaml (default: beside the definition)")
  Path offlineScript;

  /** The options' files exist and are what they should be: "not found: PATH" before anything starts. */
  void check() {
    OptionFiles.requireFile("--config", configFile);
    OptionFiles.requireExisting("--offline-script", offlineScript);
    OptionFiles.requireDirectoryOrCreatable("--blob-dir", blobDir);
    OptionFiles.requireDirectoryOrCreatable("--registry-dir", registryDir);
  }

  /**
   * @param definition the definition being run (its sibling script is the default), or null
   * @throws CliException when a file named here cannot be used, with its problems
   */
  EngineConfig config(Path definition, PrintWriter err) {
    check();
    SecretResolver secrets = SecretResolver.fromEnvironment();
    boolean forceOffline = offline || !secrets.isSet("env:OPENAI_API_KEY");
    Path scripts = offlineScript;
    if (scripts == null && definition != null) {
      Path sibling = siblingScript(definition);
      scripts = Files.exists(sibling) ? sibling : null;
    }
    ScriptLibrary library;
    try {
      library = scripts == null ? ScriptLibrary.empty()
          : Files.isDirectory(scripts) ? ScriptLibrary.loadDirectory(scripts) : ScriptLibrary.loadFile(scripts);
    } catch (DefinitionException e) {
      throw CliException.failed("the offline script " + scripts + " cannot be used:\n" + JsonArgument.indented(e));
    }
    if (forceOffline && !offline && err != null) {
      err.println("· no OPENAI_API_KEY set: models answer from offline scripts"
          + (scripts != null ? " (" + scripts + ")"
              : definition == null ? ", but none are loaded: give --offline-script DIR (e.g. definitions/)"
              : " (none found)"));
      err.flush();
    }
    AgentflowConfig settings;
    try {
      settings = ConfigLoader.load(configFile, System.getenv());
    } catch (ConfigException e) {
      throw CliException.failed("the engine config cannot be used: " + e.getMessage());
    }
    BlobStore blobs = Stores.blobStore(settings.blobStore(), blobDir);
    return new EngineConfig(ToolRegistry.loadFromClasspath(), blobs, secrets, library, forceOffline, settings)
        .withRegistry(Stores.registry(blobs, registryDir));
  }

  static Path siblingScript(Path definition) {
    String name = definition.getFileName().toString();
    String base = name.replaceFirst("\\.(ya?ml|json)$", "");
    return definition.resolveSibling(base + ".offline.yaml");
  }
}
