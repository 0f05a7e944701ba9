package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.agentflow.dsl.ToolSettings;
import dev.agentflow.engine.ActivityOptionsFactory;
import dev.agentflow.engine.tool.ToolActivities;
import dev.agentflow.engine.tool.ToolCallResult;
import io.temporal.workflow.Workflow;
import java.nio.charset.StandardCharsets;

/**
 * A run's output above {@link #THRESHOLD_BYTES} leaves the run by reference: it is put in the blob
 * store and the result carries {@code {"$ref", "sizeBytes", "preview"}}. A map over thousands of
 * items then keeps each child's completion event small, and no result comes near Temporal's 2 MiB
 * payload limit. Smaller outputs are returned as they are (and histories of runs with small outputs
 * are unchanged).
 */
final class LargeOutputs {

  static final int THRESHOLD_BYTES = 64 * 1024;

  private LargeOutputs() {}

  static JsonNode byReferenceIfLarge(String nodeId, JsonNode output) {
    if (output == null || sizeOf(output) <= THRESHOLD_BYTES) {
      return output;
    }
    ToolActivities values =
        Workflow.newActivityStub(
            ToolActivities.class, ActivityOptionsFactory.forTool(nodeId, "store_value", ToolSettings.DEFAULT));
    ToolCallResult stored = values.storeValue(output);
    ObjectNode reference = RunContext.JSON.createObjectNode();
    reference.put("$ref", stored.valueRef());
    reference.put("sizeBytes", stored.sizeBytes());
    reference.put("preview", stored.preview());
    return reference;
  }

  private static long sizeOf(JsonNode value) {
    try {
      return RunContext.JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      return 0;
    }
  }
}
