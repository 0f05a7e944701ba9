package dev.agentflow.engine.llm;

import dev.agentflow.dsl.ModelSpec;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.llm.offline.ScriptedChatProvider;
import dev.agentflow.engine.llm.openai.OpenAiChatProvider;
import dev.agentflow.engine.policy.WorkerPolicy;
import dev.agentflow.engine.secret.SecretResolver;
import java.util.Map;
import java.util.TreeMap;

/**
 * The chat providers a worker has, by the name definitions use in {@code models.<m>.provider}. In
 * offline mode every model is answered by the offline provider whatever it names: that is how
 * {@code agentflow run} runs a graph on a machine without a model key.
 */
public final class ProviderRegistry {

  public static final String OPENAI = "openai";
  public static final String OFFLINE = "offline";

  private final Map<String, ChatProvider> providers;
  private final boolean offlineOnly;

  private ProviderRegistry(Map<String, ChatProvider> providers, boolean offlineOnly) {
    this.providers = Map.copyOf(providers);
    this.offlineOnly = offlineOnly;
  }

  /** Exactly these providers. */
  public static ProviderRegistry of(Map<String, ChatProvider> providers) {
    return new ProviderRegistry(new TreeMap<>(providers), false);
  }

  /**
   * {@code openai} over real HTTP (secrets and endpoints as {@code policy} allows) and {@code offline}
   * over the scripts.
   */
  public static ProviderRegistry standard(SecretResolver secrets, WorkerPolicy policy, ScriptLibrary scripts) {
    return of(Map.of(OPENAI, new OpenAiChatProvider(secrets, policy), OFFLINE, new ScriptedChatProvider(scripts)));
  }

  /** Only the offline provider, answering for every model. */
  public static ProviderRegistry offlineOnly(ScriptLibrary scripts) {
    return new ProviderRegistry(Map.of(OFFLINE, new ScriptedChatProvider(scripts)), true);
  }

  /** This registry, but with every model forced onto its {@code offline} provider. */
  public ProviderRegistry forcingOffline() {
    if (!providers.containsKey(OFFLINE)) {
      throw new IllegalStateException("no offline provider to force models onto");
    }
    return new ProviderRegistry(providers, true);
  }

  public boolean isOfflineOnly() {
    return offlineOnly;
  }

  /**
   * The provider for a model; a missing provider name means {@code openai}.
   *
   * @throws LlmCallException of type {@code UnknownProvider} (non-retryable)
   */
  public ChatProvider providerFor(ModelSpec model) {
    String name = offlineOnly ? OFFLINE : model.provider() == null ? OPENAI : model.provider();
    ChatProvider provider = providers.get(name);
    if (provider == null) {
      throw LlmCallException.unknownProvider(
          "no chat provider '" + name + "' on this worker (known: " + new TreeMap<>(providers).keySet() + ")");
    }
    return provider;
  }
}
