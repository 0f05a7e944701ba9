package dev.agentflow.cli;

import java.util.List;

/** The registry commands on the directory store (the embedded default). */
class RegistryCommandsTest extends RegistryCommandsContract {

  @Override
  protected List<String> storeOptions() {
    return List.of("--registry-dir", tempDir.resolve("registry").toString(), "--blob-dir", tempDir.resolve("blobs").toString());
  }
}
