package dev.agentflow.engine;

import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.secret.SecretResolver;
import dev.agentflow.tools.ToolRegistry;

/**
 * What a worker is built from: its tools, its blob store, how it resolves secrets, and the offline
 * scripts it answers from when models are forced offline (no API key).
 *
 * @param offlineScripts scripts for the offline provider; may be empty
 * @param forceOffline answer every model from the offline scripts, whatever its provider
 */
public record EngineConfig(
    ToolRegistry tools,
    BlobStore blobs,
    SecretResolver secrets,
    ScriptLibrary offlineScripts,
    boolean forceOffline) {}
