/**
 * The engine configuration file, {@code agentflow.yaml}, given to {@code agentflow worker} and
 * {@code agentflow run} with {@code --config FILE}. Definitions stay portable; a deployment sets its
 * capacity here. Every value is optional; with no file at all the defaults below apply.
 *
 * <pre>{@code
 * taskQueue: agentflow            # workflow task queue; pools use <taskQueue>-llm-<pool>, tools <taskQueue>-tools
 * blobStore: {type: directory, path: ~/.agentflow/blobs}
 * # blobStore: {type: postgres, url: jdbc:postgresql://db:5432/agentflow, user: agentflow, passwordEnv: PGPASSWORD}
 * pools:                          # LLM activity pools, one task queue each; a model's pool is its provider
 *   default: {maxConcurrent: 50, ratePerSecond: 0}        # template: what a pool leaves out; not a queue
 *   openai:  {maxConcurrent: 50, ratePerSecond: 50, models: [gpt-4.1, gpt-4.1-mini]}
 *   offline: {maxConcurrent: 50}
 * tools: {maxConcurrent: 100}     # tool activities on their own queue
 * workflows: {maxConcurrentTasks: 200, cacheSize: 2000, maxThreads: 4000, virtualThreads: auto}
 * pricing: {gpt-4.1: {input: 2.0, output: 8.0}}           # USD per million tokens, by provider model name
 * searchAttributes: auto          # auto: add them to the namespace if missing, and if the server cannot
 *                                 # (no operator API, no permission) serve runs that do not set them; off: never set them
 * }</pre>
 *
 * <p>{@code maxConcurrent} is per worker process (activity slots); {@code ratePerSecond} is enforced
 * by the Temporal server across every worker of the queue (0 = unlimited). The workflow picks a
 * pool from the definition alone (the model's {@code provider}), so a worker always serves the
 * {@code openai} and {@code offline} pools, configured or not.
 *
 * <p>Environment variables override the file: {@code AGENTFLOW_} followed by the path, camelCase
 * split into words, upper-cased, other characters as {@code _}: {@code
 * AGENTFLOW_POOLS_OPENAI_MAX_CONCURRENT=50}, {@code AGENTFLOW_POOLS_OPENAI_RATE_PER_SECOND=20},
 * {@code AGENTFLOW_WORKFLOWS_CACHE_SIZE=1500}, {@code AGENTFLOW_BLOB_STORE_TYPE=postgres}, {@code
 * AGENTFLOW_PRICING_GPT_4_1_INPUT=2.5}; lists are comma-separated. See {@link
 * dev.agentflow.engine.config.ConfigLoader}.
 */
package dev.agentflow.engine.config;
