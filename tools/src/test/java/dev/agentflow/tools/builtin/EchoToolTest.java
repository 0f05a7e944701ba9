package dev.agentflow.tools.builtin;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.tools.Tool;
import dev.agentflow.tools.ToolContractTest;
import org.junit.jupiter.api.Test;

class EchoToolTest extends ToolContractTest {

  @Override
  protected Tool tool() {
    return new EchoTool();
  }

  @Override
  protected JsonNode invalidArguments() {
    return json("'just a string'");
  }

  @Test
  void returns_its_arguments_unchanged() throws Exception {
    JsonNode arguments = json("{'message': 'hi', 'n': 3, 'nested': {'list': [1, null]}}");

    assertThat(tool().call(contextWith(arguments))).isEqualTo(arguments);
  }

  @Test
  void returns_a_copy_so_later_changes_to_the_result_do_not_touch_the_arguments() throws Exception {
    JsonNode arguments = json("{'message': 'hi'}");

    ((com.fasterxml.jackson.databind.node.ObjectNode) tool().call(contextWith(arguments))).put("message", "changed");

    assertThat(arguments.get("message").asText()).isEqualTo("hi");
  }
}
