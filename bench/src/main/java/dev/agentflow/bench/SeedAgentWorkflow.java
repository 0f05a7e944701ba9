package dev.agentflow.bench;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/** The seed's {@code AgentWorkflow}, written by hand: the baseline agentflow is measured against. */
@WorkflowInterface
public interface SeedAgentWorkflow {

  @WorkflowMethod
  Seed.AgentResult run(Seed.AgentInput input);
}
