package dev.agentflow.cli;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;

/**
 * The registry commands on PostgreSQL, selected as a deployment selects it: an engine config whose
 * blob store is {@code postgres} (the registry keeps its tables in the same database). Each test
 * gets its own schema. Needs {@code AGENTFLOW_IT_PG_URL} ({@code .ci/run} starts a server and sets it).
 */
class RegistryCommandsIT extends RegistryCommandsContract {

  private static final String URL_VARIABLE = "AGENTFLOW_IT_PG_URL";

  private Path config;

  @Override
  protected List<String> storeOptions() throws Exception {
    if (config == null) {
      String url = System.getenv(URL_VARIABLE);
      assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no PostgreSQL to test against (.ci/run starts one)");
      String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
      config = tempDir.resolve("agentflow.yaml");
      Files.writeString(config, "blobStore:\n  type: postgres\n  url: \"" + url + (url.contains("?") ? "&" : "?")
          + "currentSchema=" + schema + "\"\n");
    }
    return List.of("--config", config.toString());
  }
}
