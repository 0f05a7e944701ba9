package dev.agentflow.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class InlineBlobStoreTest {

  private final InlineBlobStore store = new InlineBlobStore();

  @Test
  void the_reference_of_text_is_the_text_itself() {
    String ref = store.put("{\"hello\":\"wörld\"}".getBytes(StandardCharsets.UTF_8));

    assertThat(ref).isEqualTo("inline:utf8:{\"hello\":\"wörld\"}");
    assertThat(new String(store.get(ref), StandardCharsets.UTF_8)).isEqualTo("{\"hello\":\"wörld\"}");
  }

  @Test
  void bytes_that_are_not_utf8_travel_as_base64() {
    byte[] binary = {(byte) 0xff, 0x00, (byte) 0xfe};

    String ref = store.put(binary);

    assertThat(ref).isEqualTo("inline:base64:/wD+");
    assertThat(store.get(ref)).isEqualTo(binary);
  }

  @Test
  void the_same_bytes_get_the_same_reference() {
    assertThat(store.put("same".getBytes(StandardCharsets.UTF_8))).isEqualTo(store.put("same".getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void a_reference_from_a_content_addressed_store_is_not_found() {
    String sha = "sha256:" + "0".repeat(64);

    assertThatThrownBy(() -> store.get(sha)).isInstanceOf(BlobNotFoundException.class).hasMessageContaining(sha);
  }

  @Test
  void broken_base64_is_reported_with_the_start_of_the_reference() {
    assertThatThrownBy(() -> store.get("inline:base64:%%%"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("inline:base64:%%%");
  }
}
