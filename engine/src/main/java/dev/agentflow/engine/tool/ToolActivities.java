package dev.agentflow.engine.tool;

import com.fasterxml.jackson.databind.JsonNode;
import io.temporal.activity.ActivityInterface;
import io.temporal.activity.ActivityMethod;

/** The generic tool activity: dispatches to the worker's tool registry. */
@ActivityInterface
public interface ToolActivities {

  /** Activity type name, stable across releases (recorded histories depend on it). */
  String CALL_TOOL = "CallTool";

  @ActivityMethod(name = CALL_TOOL)
  ToolCallResult callTool(ToolCallRequest request);

  /** Activity type name of {@link #storeValue}. */
  String STORE_VALUE = "StoreValue";

  /**
   * Puts a value in the blob store and returns its reference, size and preview: how a run hands a
   * large output to its parent without putting it in either history.
   */
  @ActivityMethod(name = STORE_VALUE)
  ToolCallResult storeValue(JsonNode value);

  /** Activity type name of {@link #loadValue}. */
  String LOAD_VALUE = "LoadValue";

  /**
   * Reads back a value that {@link #storeValue} stored: how a run that continued as new gets the
   * large part of its checkpoint (a fan-out's results so far) without carrying it in its input.
   */
  @ActivityMethod(name = LOAD_VALUE)
  JsonNode loadValue(String valueRef);

  /** Activity type name of {@link #readTermination}. */
  String READ_TERMINATION = "ReadTermination";

  /**
   * How a terminated run was terminated: {@code terminated by <identity>: <reason>}. A parent's
   * history says only that its child was terminated; the reason is in the child's own history.
   */
  @ActivityMethod(name = READ_TERMINATION)
  String readTermination(String workflowId, String runId);
}
