package dev.agentflow.engine.workflow;

import dev.agentflow.dsl.Node;

/**
 * Executes one kind of node inside the interpreter workflow. Implementations run in workflow code:
 * they may only use Temporal's workflow APIs for time, randomness and side effects.
 */
interface NodeExecutor<N extends Node> {

  NodeOutcome execute(N node, RunContext context);
}
