package dev.agentflow.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryBlobStoreTest extends BlobStoreContractTest {

  @TempDir Path root;

  @Override
  protected BlobStore newEmptyStore() {
    return new DirectoryBlobStore(root.resolve("blobs"));
  }

  @Test
  void a_blob_is_one_file_fanned_out_by_its_first_two_hex_digits() {
    String ref = store.put("abc".getBytes(StandardCharsets.UTF_8));
    String hex = ref.substring("sha256:".length());

    assertThat(root.resolve("blobs").resolve(hex.substring(0, 2)).resolve(hex)).hasContent("abc");
  }

  @Test
  void no_temporary_files_are_left_behind() throws IOException {
    store.put("one".getBytes(StandardCharsets.UTF_8));
    store.put("one".getBytes(StandardCharsets.UTF_8));

    try (Stream<Path> files = Files.walk(root)) {
      assertThat(files.filter(Files::isRegularFile).map(Path::toString)).noneMatch(name -> name.endsWith(".tmp"));
    }
  }

  @Test
  void a_second_store_on_the_same_directory_reads_what_the_first_wrote() {
    String ref = store.put("shared".getBytes(StandardCharsets.UTF_8));

    assertThat(new DirectoryBlobStore(root.resolve("blobs")).get(ref)).asString(StandardCharsets.UTF_8).isEqualTo("shared");
  }
}
