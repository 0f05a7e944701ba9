package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.testing.InMemoryBlobStore;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ConversationStoreTest {

  private final InMemoryBlobStore blobs = new InMemoryBlobStore();
  private final ConversationStore store = new ConversationStore(blobs);

  private final ToolCall call = new ToolCall("call_1", "http_get", "{\"url\":\"https://example.org\"}");

  @Test
  void should_read_a_null_reference_as_an_empty_conversation() {
    assertThat(store.read(null)).isEmpty();
  }

  @Test
  void should_read_back_what_it_wrote() {
    String bigRef = blobs.put("a very large page".getBytes(StandardCharsets.UTF_8));
    List<ChatMessage> conversation =
        List.of(
            ChatMessage.system("sys"),
            ChatMessage.user("hi"),
            ChatMessage.assistant("", List.of(call)),
            ChatMessage.toolResult(call, null, bigRef));

    assertThat(store.read(store.write(conversation))).isEqualTo(conversation);
  }

  @Test
  void should_give_equal_conversations_equal_references() {
    List<ChatMessage> one = List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello", List.of(call)));
    List<ChatMessage> same = List.of(ChatMessage.user("hi"), ChatMessage.assistant("hello", List.of(call)));

    assertThat(store.write(one)).isEqualTo(store.write(same)).startsWith("sha256:");
    assertThat(store.write(List.of(ChatMessage.user("other")))).isNotEqualTo(store.write(one));
  }

  @Test
  void should_keep_large_tool_results_by_reference_and_resolve_them_on_demand() {
    String page = "x".repeat(100_000);
    String pageRef = blobs.put(page.getBytes(StandardCharsets.UTF_8));
    ChatMessage result = ChatMessage.toolResult(call, null, pageRef);

    String ref = store.write(List.of(result));

    assertThat(new String(blobs.get(ref), StandardCharsets.UTF_8)).contains(pageRef).doesNotContain(page);
    assertThat(store.resolveContent(store.read(ref).get(0))).isEqualTo(page);
    assertThat(store.withResolvedContent(result).content()).isEqualTo(page);
    assertThat(store.withResolvedContent(result).contentRef()).isEqualTo(pageRef);
  }
}
