/**
 * The tools every worker has: {@code http_get}, {@code calculator}, {@code json_query} and
 * {@code echo}. Each is registered in {@code META-INF/services/dev.agentflow.tools.Tool} and
 * checked by the shared {@code ToolContractTest}.
 */
package dev.agentflow.tools.builtin;
