package dev.agentflow.engine.workflow;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Keeps the history of a test's run as a recorded history ({@code src/test/resources/histories/
 * <name>.json}) when the build runs with {@code -Dagentflow.recordHistories=true}. Recorded
 * histories are append-only: a file that exists is never written again, so a history recorded by
 * an earlier interpreter keeps proving that the current one replays it ({@link
 * RecordedEngineHistoriesTest}).
 */
final class RecordedHistories {

  static final Path DIRECTORY = Path.of("src/test/resources/histories");

  private RecordedHistories() {}

  static void keep(GraphHarness harness, String workflowId, String name) {
    keep(harness.client(), workflowId, name);
  }

  static void keep(io.temporal.client.WorkflowClient client, String workflowId, String name) {
    if (!Boolean.getBoolean("agentflow.recordHistories")) {
      return;
    }
    Path file = DIRECTORY.resolve(name + ".json");
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.writeString(file, client.fetchHistory(workflowId).toJson(true));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot record " + file, e);
    }
  }
}
