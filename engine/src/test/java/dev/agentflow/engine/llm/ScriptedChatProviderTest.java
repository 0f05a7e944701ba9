package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.llm.offline.ScriptedChatProvider;
import dev.agentflow.engine.testing.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ScriptedChatProviderTest {

  private static final String SCRIPT =
      """
      graph: tool-agent
      replies:
        agent:
          - toolCalls: [{name: calculator, arguments: {expression: "6*7"}}]
            usage: {input: 120, output: 15}
          - content: "The answer is 42."
        review:
          - content: '{"verdict": "revise", "feedback": "add sources"}'
          - content: '{"verdict": "approve"}'
        censored:
          - content: ""
            finishReason: content_filter
      """;

  @TempDir Path dir;

  private ScriptedChatProvider providerFor(String script, String fileName) throws IOException {
    return new ScriptedChatProvider(ScriptLibrary.loadFile(Files.writeString(dir.resolve(fileName), script)));
  }

  private static ChatCall call(String graph, String node, int callIndex) {
    return new ChatCall(List.of(ChatMessage.user("12345678")), TestModels.offlineModel(), List.of(), null, graph, node, callIndex);
  }

  @Test
  void should_reply_in_order_and_repeat_the_last_reply() throws IOException {
    ScriptedChatProvider provider = providerFor(SCRIPT, "tool-agent.offline.yaml");

    assertThat(provider.chat(call("tool-agent", "review", 0)).content()).contains("revise");
    assertThat(provider.chat(call("tool-agent", "review", 1)).content()).contains("approve");
    assertThat(provider.chat(call("tool-agent", "review", 7)).content()).contains("approve");
  }

  @Test
  void should_give_tool_calls_deterministic_ids_and_scripted_usage() throws IOException {
    ScriptedChatProvider provider = providerFor(SCRIPT, "tool-agent.offline.yaml");

    ChatReply reply = provider.chat(call("tool-agent", "agent", 0));

    assertThat(reply.toolCalls()).containsExactly(new ToolCall("call_agent_0_0", "calculator", "{\"expression\":\"6*7\"}"));
    assertThat(reply.finishReason()).isEqualTo("tool_calls");
    assertThat(reply.usage()).isEqualTo(new TokenUsage(120, 15));
  }

  @Test
  void should_estimate_usage_from_text_length_when_the_script_gives_none() throws IOException {
    ChatReply reply = providerFor(SCRIPT, "s.offline.yaml").chat(call("tool-agent", "agent", 1));

    assertThat(reply.content()).isEqualTo("The answer is 42.");
    assertThat(reply.finishReason()).isEqualTo("stop");
    assertThat(reply.usage()).isEqualTo(new TokenUsage(2, 5));
  }

  @Test
  void should_report_a_scripted_finish_reason() throws IOException {
    assertThat(providerFor(SCRIPT, "s.offline.yaml").chat(call("tool-agent", "censored", 0)).finishReason())
        .isEqualTo("content_filter");
  }

  @Test
  void should_fail_non_retryably_naming_graph_node_and_script_when_a_node_has_no_replies() throws IOException {
    ScriptedChatProvider provider = providerFor(SCRIPT, "tool-agent.offline.yaml");

    LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> provider.chat(call("tool-agent", "planner", 0)));

    assertThat(e.type()).isEqualTo("OfflineScriptMissing");
    assertThat(e.retryable()).isFalse();
    assertThat(e.getMessage()).contains("tool-agent", "planner", "tool-agent.offline.yaml");
  }

  @Test
  void should_key_a_directory_of_scripts_by_graph_field_else_file_name() throws IOException {
    Files.writeString(dir.resolve("whatever.offline.yaml"), SCRIPT);
    Files.writeString(dir.resolve("hello.offline.yaml"), "replies: {greet: [{content: hi}]}");
    Files.writeString(dir.resolve("ignored.yaml"), "not: a script");
    ScriptedChatProvider provider = new ScriptedChatProvider(ScriptLibrary.loadDirectory(dir));

    assertThat(provider.chat(call("hello", "greet", 0)).content()).isEqualTo("hi");
    assertThat(provider.chat(call("tool-agent", "agent", 1)).content()).isEqualTo("The answer is 42.");
    LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> provider.chat(call("whatever", "greet", 0)));
    assertThat(e.type()).isEqualTo("OfflineScriptMissing");
    assertThat(e.getMessage()).contains("whatever");
  }
}
