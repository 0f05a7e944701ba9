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
 * are unchanged). A fan-out's results carried across continue-as-new use the same threshold.
 */
final class LargeOutputs {

  static final int THRESHOLD_BYTES = 64 * 1024;

  private LargeOutputs() {}

  static JsonNode byReferenceIfLarge(String nodeId, JsonNode output) {
    if (!isLarge(output)) {
      return output;
    }
    ToolCallResult stored = values(nodeId, "store_value").storeValue(output);
    ObjectNode reference = RunContext.JSON.createObjectNode();
    reference.put("$ref", stored.valueRef());
    reference.put("sizeBytes", stored.sizeBytes());
    reference.put("preview", stored.preview());
    return reference;
  }

  /** Whether {@code value} is above the threshold, i.e. would travel by reference. */
  static boolean isLarge(JsonNode value) {
    return value != null && sizeOf(value) > THRESHOLD_BYTES;
  }

  /** Stores {@code value} when it is above the threshold and returns its reference; null when it is small. */
  static String storeIfLarge(String nodeId, JsonNode value) {
    return isLarge(value) ? store(nodeId, value) : null;
  }

  /** Stores {@code value} and returns its reference, whatever its size. */
  static String store(String nodeId, JsonNode value) {
    return values(nodeId, "store_value").storeValue(value).valueRef();
  }

  /** Reads back a value stored by reference (through an activity: workflow code does no I/O). */
  static JsonNode load(String nodeId, String valueRef) {
    return values(nodeId, "load_value").loadValue(valueRef);
  }

  private static ToolActivities values(String nodeId, String what) {
    return Workflow.newActivityStub(
        ToolActivities.class, ActivityOptionsFactory.forTool(nodeId, what, ToolSettings.DEFAULT, false));
  }

  private static long sizeOf(JsonNode value) {
    try {
      return RunContext.JSON.writeValueAsString(value).getBytes(StandardCharsets.UTF_8).length;
    } catch (JsonProcessingException e) {
      return 0;
    }
  }
}
