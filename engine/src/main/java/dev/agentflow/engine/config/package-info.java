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
 *   openai:  {maxConcurrent: 50, ratePerSecond: 50, models: [gpt-4.1, gpt-4.1-mini],
 *             maxTokensPerMinute: 90000, maxRequestsPerMinute: 500}   # the provider's limits of the key, 0 = none
 *   offline: {maxConcurrent: 50}
 * tools: {maxConcurrent: 100}     # tool activities on their own queue
 * workflows: {maxConcurrentTasks: 200, cacheSize: 2000, maxThreads: 4000, virtualThreads: auto}
 * pricing: {gpt-4.1: {input: 2.0, output: 8.0}}           # USD per million tokens, by provider model name
 * egress:                         # where tools and definition-written model endpoints may connect
 *   allow: [10.0.0.0/8, "*.internal.example"]   # CIDRs and host patterns; the only way into special ranges
 *   deny: [10.9.0.0/16]           # wins over everything
 *   publicInternet: true          # false: only what allow names
 * secrets:                        # which environment variable each tool / provider may read, and where it may go
 *   GITHUB_TOKEN: {tools: [http_get], hosts: [api.github.com]}
 *   AZURE_KEY: {providers: [openai], hosts: ["*.openai.azure.com"]}
 * providers: {openai: {baseUrl: http://localhost:11434/v1}}   # the operator's endpoint (trusted)
 * searchAttributes: auto          # auto: add them to the namespace if missing, and if the server cannot
 *                                 # (no operator API, no permission) serve runs that do not set them; off: never set them
 * mcp:                            # MCP servers; definitions name their tools mcp.<server>/<tool> or mcp.<server>/*
 *   files:                        # stdio: the worker starts it, and stops its whole process tree on shutdown
 *     command: npx
 *     args: [-y, "@modelcontextprotocol/server-filesystem@2026.8.31", /srv/data]
 *     env: {GITHUB_PERSONAL_ACCESS_TOKEN: "${env:GITHUB_TOKEN}"}   # its whole environment: PATH, HOME, … and this
 *     timeout: 60s                # one call (activity StartToClose); startupTimeout: 30s for the start and handshake
 *     retry: {initialInterval: 2s, backoff: 2.0, maxInterval: 30s, maxAttempts: 5}
 *     maxConcurrent: 4            # calls in flight per worker (slots of the queue <taskQueue>-mcp-files)
 *     sideEffects: [write_file, edit_file, move_file]   # never retried (MCP has no idempotency keys)
 *   remote:                       # streamable HTTP, through the egress policy
 *     url: https://mcp.example.com/mcp
 *     headers: {Authorization: "Bearer ${env:MCP_TOKEN}"}
 * }</pre>
 *
 * <p>Egress: loopback, private, link-local (cloud metadata), CGNAT, multicast, reserved and the
 * other special ranges are refused unless {@code egress.allow} names them; a definition's own
 * {@code egress.allow} can only narrow. Secrets: only {@code OPENAI_API_KEY} for provider {@code
 * openai} (to the operator's endpoint) is granted without config. See {@code SECURITY.md}.
 *
 * <p>{@code maxConcurrent} is per worker process (activity slots); {@code ratePerSecond} is enforced
 * by the Temporal server across every worker of the queue (0 = unlimited). The workflow picks a
 * pool from the definition alone (the model's {@code provider}), so a worker always serves the
 * {@code openai} and {@code offline} pools, configured or not.
 *
 * <p>{@code maxTokensPerMinute} and {@code maxRequestsPerMinute} are enforced across every worker of
 * the deployment, before a call is sent ({@code dev.agentflow.engine.llm.admission}): each call
 * reserves its estimated tokens (prompt estimate + the model's {@code maxTokens}, 1,024 when unset)
 * in a sliding one-minute window, waits in line (first come, first served) while the window is full,
 * and settles with its real usage; the provider's {@code x-ratelimit-remaining-tokens} / {@code
 * x-ratelimit-reset-tokens} and a 429's {@code Retry-After} hold capacity back. The window lives in
 * the PostgreSQL database of a {@code postgres} blob store (tables {@code agentflow_admission_window}
 * and {@code agentflow_admission_queue}), shared by every worker; with a {@code directory} or {@code
 * inline} store it lives in the worker process, so each worker enforces the whole limit by itself
 * (run one worker per pool, or give each its share). A waiting call says so in its heartbeat details
 * ({@code temporal workflow describe}, the UI's pending activities) and, after a second, in its
 * run's {@code progress} query ({@code waitingForCapacity}) and live events; a call may wait up to ten
 * minutes on top of its model timeout before it times out and is retried.
 *
 * <p>Workflows: a run waiting at a {@code wait} node holds no JavaScript context (contexts are lent
 * per evaluation), no JSON buffers and no bound definition of its own (shared by the worker) and,
 * with virtual workflow threads (Java 21+, {@code virtualThreads: auto}), no platform thread. Size
 * {@code cacheSize} for the runs in progress at once that should resume without replaying: a parked
 * run in the cache costs its workflow state, about 32 KB of heap and 55 KB of worker RSS on Java 25
 * with the launcher's worker JVM options (on Java 17, 28 KB of heap and 106 KB of RSS with its platform thread; see {@code BENCHMARKS.md}); one evicted from the
 * cache costs nothing until its signal comes, and is then replayed from its history (milliseconds
 * for a short history). On Java 17 every cached run also holds a platform thread, so {@code
 * maxThreads} must exceed {@code cacheSize}.
 *
 * <p>Environment variables override the file: {@code AGENTFLOW_} followed by the path, camelCase
 * split into words, upper-cased, other characters as {@code _}: {@code
 * AGENTFLOW_POOLS_OPENAI_MAX_CONCURRENT=50}, {@code AGENTFLOW_POOLS_OPENAI_RATE_PER_SECOND=20}, {@code
 * AGENTFLOW_POOLS_OPENAI_MAX_TOKENS_PER_MINUTE=90000}, {@code AGENTFLOW_POOLS_OPENAI_MAX_REQUESTS_PER_MINUTE=500},
 * {@code AGENTFLOW_WORKFLOWS_CACHE_SIZE=1500}, {@code AGENTFLOW_BLOB_STORE_TYPE=postgres}, {@code
 * AGENTFLOW_PRICING_GPT_4_1_INPUT=2.5}, {@code AGENTFLOW_EGRESS_ALLOW=127.0.0.1/32} (a local stub), {@code
 * AGENTFLOW_PROVIDERS_OPENAI_BASE_URL=http://localhost:8000/v1}; lists are comma-separated. Secret
 * grants and MCP servers have no environment form (the file names them). See {@link
 * dev.agentflow.engine.config.ConfigLoader}.
 */
package dev.agentflow.engine.config;
