package dev.agentflow.engine.workflow;

import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * A test workflow that starts one AgentGraph run as its child with exactly the request it is given,
 * engine-only fields included: how tests reach what only a parent run may send.
 */
@WorkflowInterface
public interface ParentWorkflow {

  String TYPE = "TestParent";

  @WorkflowMethod(name = TYPE)
  RunResult run(RunRequest childRequest, String childWorkflowId);

  /** Registered on the harness's workflow worker. */
  class Impl implements ParentWorkflow {
    @Override
    public RunResult run(RunRequest childRequest, String childWorkflowId) {
      AgentGraphWorkflow child = Workflow.newChildWorkflowStub(
          AgentGraphWorkflow.class,
          ChildWorkflowOptions.newBuilder()
              .setWorkflowId(childWorkflowId)
              .setTaskQueue(Workflow.getInfo().getTaskQueue())
              .build());
      return child.run(childRequest);
    }
  }
}
