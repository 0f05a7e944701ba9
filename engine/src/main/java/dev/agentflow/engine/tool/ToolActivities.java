package dev.agentflow.engine.tool;

import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The generic tool activity: dispatches to the worker's tool registry. */
@ActivityInterface
public interface ToolActivities {

  /** Activity type name, stable across releases (recorded histories depend on it). */
  String CALL_TOOL = "CallTool";

  @ActivityMethod(name = CALL_TOOL)
  ToolCallResult callTool(ToolCallRequest request);
}
