package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.DirectoryBlobStore;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectoryRegistryTest extends RegistryContractTest {

  @TempDir Path tempDir;

  @Override
  protected GraphRegistry newRegistry() {
    return new GraphRegistry(blobs(), new DirectoryRegistryIndex(tempDir.resolve("registry")));
  }

  @Override
  protected BlobStore blobs() {
    return new DirectoryBlobStore(tempDir.resolve("blobs"));
  }

  @Test
  void should_keep_one_file_per_version_and_per_alias_and_no_temporary_files() throws Exception {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.alias("greeter", "prod", AliasRoute.single(1));
    registry.alias("greeter", "prod", AliasRoute.single(1));

    try (var files = Files.walk(tempDir.resolve("registry"))) {
      assertThat(files.filter(Files::isRegularFile).map(f -> tempDir.resolve("registry").relativize(f).toString()))
          .containsExactlyInAnyOrder("greeter/versions/1.json", "greeter/aliases/prod.json");
    }
  }
}
