package dev.agentflow.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * What every {@link BlobStore} promises. A store's test extends this class and supplies a fresh,
 * empty store; the PostgreSQL store will extend it too.
 */
public abstract class BlobStoreContractTest {

  private static final String EMPTY_SHA256 = "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

  protected BlobStore store;

  /** A new store with nothing in it. */
  protected abstract BlobStore newEmptyStore() throws Exception;

  @BeforeEach
  void createStore() throws Exception {
    store = newEmptyStore();
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void what_is_put_can_be_read_back() {
    String ref = store.put(bytes("{\"hello\":\"world\"}"));

    assertThat(store.get(ref)).isEqualTo(bytes("{\"hello\":\"world\"}"));
  }

  @Test
  void the_same_bytes_get_the_same_reference() {
    assertThat(store.put(bytes("same"))).isEqualTo(store.put(bytes("same")));
  }

  @Test
  void different_bytes_get_different_references() {
    assertThat(store.put(bytes("one"))).isNotEqualTo(store.put(bytes("two")));
  }

  @Test
  void a_reference_is_sha256_and_64_lowercase_hex_digits_of_the_content() {
    assertThat(store.put(bytes("abc")))
        .isEqualTo("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  }

  @Test
  void empty_content_is_a_blob_like_any_other() {
    String ref = store.put(new byte[0]);

    assertThat(ref).isEqualTo(EMPTY_SHA256);
    assertThat(store.get(ref)).isEmpty();
  }

  @Test
  void binary_content_round_trips_unchanged() {
    byte[] content = new byte[256 * 1024];
    for (int i = 0; i < content.length; i++) {
      content[i] = (byte) (i * 31 + 7);
    }

    assertThat(store.get(store.put(content))).isEqualTo(content);
  }

  @Test
  void a_missing_reference_is_a_blob_not_found_exception() {
    String missing = "sha256:" + "0".repeat(64);

    assertThatThrownBy(() -> store.get(missing))
        .isInstanceOf(BlobNotFoundException.class)
        .hasMessageContaining(missing);
  }

  @Test
  void a_malformed_reference_is_an_illegal_argument() {
    for (String malformed : new String[] {
        "abc", "sha256:", "sha256:" + "0".repeat(63), "sha256:" + "G".repeat(64), "SHA256:" + "0".repeat(64),
        "md5:" + "0".repeat(64), "sha256:../../" + "0".repeat(58), ""}) {
      assertThatThrownBy(() -> store.get(malformed)).as(malformed).isInstanceOf(IllegalArgumentException.class);
    }
    assertThatThrownBy(() -> store.get(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void concurrent_puts_of_the_same_content_all_succeed_with_one_reference() throws Exception {
    byte[] content = bytes("x".repeat(100_000));
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    try {
      List<Future<String>> refs = new ArrayList<>();
      for (int i = 0; i < threads; i++) {
        refs.add(pool.submit(() -> {
          start.await();
          return store.put(content);
        }));
      }
      start.countDown();
      Set<String> distinct = new HashSet<>();
      for (Future<String> ref : refs) {
        distinct.add(ref.get(30, TimeUnit.SECONDS));
      }

      assertThat(distinct).hasSize(1);
      assertThat(store.get(distinct.iterator().next())).isEqualTo(content);
    } finally {
      pool.shutdownNow();
    }
  }
}
