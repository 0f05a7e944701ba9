package dev.agentflow.engine.config;

import dev.agentflow.engine.llm.ProviderRegistry;
import dev.agentflow.engine.workflow.AgentGraphWorkflow;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The engine configuration file ({@code agentflow.yaml}) as typed values: the workflow task queue,
 * the blob store, the LLM pools and the tool worker with their concurrency and rate limits, the
 * workflow worker's capacity, and model prices. Definitions never see it: they stay portable, and a
 * deployment tunes capacity without touching them. Loaded by {@link ConfigLoader}, which also applies
 * environment overrides.
 *
 * @param taskQueue the workflow task queue; pool and tool queues are named after it ({@link TaskQueues})
 * @param blobStore where message histories and large values live
 * @param pools LLM pools by name, each fully resolved (the file's {@code default} entry only fills in
 *     what a pool leaves out, and is not a pool itself)
 * @param tools the tool worker
 * @param workflows the workflow worker
 * @param pricing USD per million tokens by provider model name
 * @param egress where tools and model endpoints written in definitions may connect
 * @param secrets which environment variables each tool and provider may read, and where they may be
 *     sent, by variable name; {@code OPENAI_API_KEY} for provider {@code openai} needs no entry
 * @param providers the operator's provider settings (endpoints), by provider name
 * @param searchAttributes {@code auto}: the worker makes sure its namespace has the search
 *     attributes runs upsert and, when the server cannot list or add them (no operator API, no
 *     permission), serves runs that do not upsert them; {@code off}: runs never upsert them
 * @param mcp MCP servers by name ({@code mcp.<name>/<tool>} in definitions)
 */
public record AgentflowConfig(
    String taskQueue,
    BlobStoreConfig blobStore,
    Map<String, PoolConfig> pools,
    ToolsConfig tools,
    WorkflowsConfig workflows,
    Map<String, ModelPrice> pricing,
    EgressConfig egress,
    Map<String, SecretGrant> secrets,
    Map<String, ProviderSettings> providers,
    String searchAttributes,
    Map<String, McpServerConfig> mcp) {

  /** {@link #searchAttributes()}: set them when the namespace has them or can be given them. */
  public static final String SEARCH_ATTRIBUTES_AUTO = "auto";

  /** {@link #searchAttributes()}: never set them. */
  public static final String SEARCH_ATTRIBUTES_OFF = "off";

  /** The file's template for pools: what every pool leaves out comes from here. */
  public static final String TEMPLATE_POOL = "default";

  private static final Pattern POOL_NAME = Pattern.compile("[a-z0-9][a-z0-9_-]*");
  private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  public AgentflowConfig {
    if (taskQueue == null || taskQueue.isBlank()) {
      throw new IllegalArgumentException("taskQueue must not be empty");
    }
    blobStore = blobStore == null ? BlobStoreConfig.defaultDirectory() : blobStore;
    tools = tools == null ? new ToolsConfig(ToolsConfig.DEFAULT_MAX_CONCURRENT) : tools;
    workflows = workflows == null ? WorkflowsConfig.standard() : workflows;
    Map<String, PoolConfig> resolved = new LinkedHashMap<>();
    for (String provider : TaskQueues.PROVIDERS) {
      resolved.put(provider, PoolConfig.standard());
    }
    if (pools != null) {
      pools.forEach((name, pool) -> {
        if (!POOL_NAME.matcher(name).matches() || name.equals(TEMPLATE_POOL)) {
          throw new IllegalArgumentException(
              "pool name '" + name + "' must match " + POOL_NAME + " and must not be '" + TEMPLATE_POOL + "'");
        }
        resolved.put(name, pool);
      });
    }
    pools = Collections.unmodifiableMap(resolved);
    pricing = pricing == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(pricing));
    egress = egress == null ? EgressConfig.standard() : egress;
    secrets = secrets == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(secrets));
    secrets.keySet().forEach(name -> {
      if (!VARIABLE_NAME.matcher(name).matches()) {
        throw new IllegalArgumentException("secrets: '" + name + "' is not an environment variable name");
      }
    });
    Map<String, ProviderSettings> resolvedProviders = new LinkedHashMap<>();
    resolvedProviders.put(ProviderRegistry.OPENAI, new ProviderSettings(null));
    if (providers != null) {
      providers.forEach((name, settings) -> resolvedProviders.put(name, settings == null ? new ProviderSettings(null) : settings));
    }
    providers = Collections.unmodifiableMap(resolvedProviders);
    searchAttributes = searchAttributes == null ? SEARCH_ATTRIBUTES_AUTO : searchAttributes;
    // YAML reads an unquoted `off` as the boolean false (and `on` as true)
    searchAttributes = switch (searchAttributes) {
      case "false" -> SEARCH_ATTRIBUTES_OFF;
      case "true" -> SEARCH_ATTRIBUTES_AUTO;
      default -> searchAttributes;
    };
    if (!searchAttributes.equals(SEARCH_ATTRIBUTES_AUTO) && !searchAttributes.equals(SEARCH_ATTRIBUTES_OFF)) {
      throw new IllegalArgumentException("searchAttributes must be auto or off, not '" + searchAttributes + "'");
    }
    mcp = mcp == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(mcp));
    mcp.forEach((name, server) -> {
      if (!POOL_NAME.matcher(name).matches() || server == null) {
        throw new IllegalArgumentException("mcp: server name '" + name + "' must match " + POOL_NAME + " and have settings");
      }
    });
  }

  /** No file: queue {@code agentflow}, the default blob directory, pools for {@code openai} and {@code offline}. */
  public static AgentflowConfig defaults() {
    return new AgentflowConfig(AgentGraphWorkflow.TASK_QUEUE, null, null, null, null, null, null, null, null, null, null);
  }

  /** This configuration on another workflow task queue (the command line's {@code --task-queue}). */
  public AgentflowConfig withTaskQueue(String queue) {
    return new AgentflowConfig(queue, blobStore, pools, tools, workflows, pricing, egress, secrets, providers, searchAttributes, mcp);
  }

  /** This configuration with other egress rules (tests that reach a stub on 127.0.0.1 allow it this way). */
  public AgentflowConfig withEgress(EgressConfig newEgress) {
    return new AgentflowConfig(taskQueue, blobStore, pools, tools, workflows, pricing, newEgress, secrets, providers, searchAttributes, mcp);
  }

  /** This configuration with other secret grants. */
  public AgentflowConfig withSecrets(Map<String, SecretGrant> newSecrets) {
    return new AgentflowConfig(taskQueue, blobStore, pools, tools, workflows, pricing, egress, newSecrets, providers, searchAttributes, mcp);
  }

  /** This configuration with runs upserting search attributes ({@code auto}) or not ({@code off}). */
  public AgentflowConfig withSearchAttributes(String setting) {
    return new AgentflowConfig(taskQueue, blobStore, pools, tools, workflows, pricing, egress, secrets, providers, setting, mcp);
  }

  /** False when runs must not upsert search attributes. */
  public boolean searchAttributesOn() {
    return searchAttributes.equals(SEARCH_ATTRIBUTES_AUTO);
  }

  /** This configuration with other MCP servers. */
  public AgentflowConfig withMcp(Map<String, McpServerConfig> newMcp) {
    return new AgentflowConfig(taskQueue, blobStore, pools, tools, workflows, pricing, egress, secrets, providers, searchAttributes, newMcp);
  }

  /** The price of a provider model, if the file lists it. */
  public Optional<ModelPrice> priceOf(String providerModel) {
    return Optional.ofNullable(pricing.get(providerModel));
  }
}
