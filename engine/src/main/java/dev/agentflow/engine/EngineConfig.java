package dev.agentflow.engine;

import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.config.AgentflowConfig;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.registry.GraphRegistry;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.ToolRegistry;

/**
 * What a worker is built from: its tools, its blob store, how it resolves secrets, and the offline
 * scripts it answers from when models are forced offline (no API key), and the engine configuration
 * file's settings (pools, limits, prices).
 *
 * @param offlineScripts scripts for the offline provider; may be empty
 * @param forceOffline answer every model from the offline scripts, whatever its provider
 * @param settings pools, concurrency and rate limits, workflow cache, prices ({@code agentflow.yaml})
 * @param registry the graph registry runs started by reference resolve against; null for none
 *     (such runs then fail with {@code NoGraphRegistry})
 * @param versioning the Worker Deployment Version every worker joins; null for unversioned workers
 */
public record EngineConfig(
    ToolRegistry tools,
    BlobStore blobs,
    SecretResolver secrets,
    ScriptLibrary offlineScripts,
    boolean forceOffline,
    AgentflowConfig settings,
    GraphRegistry registry,
    WorkerVersioning versioning) {

  public EngineConfig {
    settings = settings == null ? AgentflowConfig.defaults() : settings;
  }

  /** Without a graph registry. */
  public EngineConfig(
      ToolRegistry tools, BlobStore blobs, SecretResolver secrets, ScriptLibrary offlineScripts, boolean forceOffline,
      AgentflowConfig settings) {
    this(tools, blobs, secrets, offlineScripts, forceOffline, settings, null, null);
  }

  /** This configuration with a graph registry. */
  public EngineConfig withRegistry(GraphRegistry newRegistry) {
    return new EngineConfig(tools, blobs, secrets, offlineScripts, forceOffline, settings, newRegistry, versioning);
  }

  /** This configuration with every worker in a Worker Deployment Version (null: unversioned). */
  public EngineConfig withVersioning(WorkerVersioning newVersioning) {
    return new EngineConfig(tools, blobs, secrets, offlineScripts, forceOffline, settings, registry, newVersioning);
  }

  /** With the default settings: no configuration file. */
  public EngineConfig(
      ToolRegistry tools, BlobStore blobs, SecretResolver secrets, ScriptLibrary offlineScripts, boolean forceOffline) {
    this(tools, blobs, secrets, offlineScripts, forceOffline, AgentflowConfig.defaults());
  }

  /**
   * The worker's policy: secret grants and egress rules from the settings, {@code OPENAI_BASE_URL}
   * from the environment the secrets come from.
   */
  public WorkerPolicy policy() {
    return WorkerPolicy.from(settings, secrets::setting);
  }

  /** This configuration with other settings. */
  public EngineConfig withSettings(AgentflowConfig newSettings) {
    return new EngineConfig(tools, blobs, secrets, offlineScripts, forceOffline, newSettings, registry, versioning);
  }
}
