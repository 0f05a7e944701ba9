package dev.agentflow.engine.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContext;

/** A tool whose every result is 20 KB of text, as the state-size scenario asks. */
public final class BigResultTool implements Tool {

  public static final int SIZE_BYTES = 20 * 1024;

  /** 20 KB that differ per call (so no two results share a content-addressed blob). */
  public static String text(String seed) {
    StringBuilder text = new StringBuilder(SIZE_BYTES);
    String unit = "result of " + seed + "; ";
    while (text.length() < SIZE_BYTES) {
      text.append(unit);
    }
    text.setLength(SIZE_BYTES);
    return text.toString();
  }

  @Override
  public String name() {
    return AgentLoopModel.TOOL;
  }

  @Override
  public String description() {
    return "returns 20 KB of text";
  }

  @Override
  public JsonNode parametersSchema() {
    return JsonNodeFactory.instance.objectNode().put("type", "object");
  }

  @Override
  public JsonNode call(ToolContext context) {
    return TextNode.valueOf(text(context.arguments().toString()));
  }
}
