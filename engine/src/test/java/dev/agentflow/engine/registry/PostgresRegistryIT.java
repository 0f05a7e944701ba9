package dev.agentflow.engine.registry;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentflow.engine.blob.BlobStore;
import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.blob.PostgresDatabase;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The registry on PostgreSQL (index and blobs in one database, as a deployment has it), against the
 * same contract as the directory index. Each test gets its own schema. Needs {@code
 * AGENTFLOW_IT_PG_URL} ({@code .ci/run} starts a server and sets it).
 */
class PostgresRegistryIT extends RegistryContractTest {

  private static final String URL_VARIABLE = "AGENTFLOW_IT_PG_URL";

  private String schema;

  @Override
  protected GraphRegistry newRegistry() throws SQLException {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no PostgreSQL to test against (.ci/run starts one)");
    if (schema == null) {
      schema = "it_" + UUID.randomUUID().toString().replace("-", "");
      try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
        statement.execute("CREATE SCHEMA " + schema);
      }
    }
    PostgresDatabase database = PostgresDatabase.fromUrl(schemaUrl());
    return new GraphRegistry(new PostgresBlobStore(database), new PostgresRegistryIndex(database));
  }

  @Override
  protected BlobStore blobs() {
    return new PostgresBlobStore(PostgresDatabase.fromUrl(schemaUrl()));
  }

  private String schemaUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  @Test
  void should_keep_versions_and_aliases_in_two_tables_beside_the_blobs() throws SQLException {
    registry.deploy(definition("greeter", 1, "input.one"));
    registry.alias("greeter", "prod", AliasRoute.single(1));

    try (Connection connection = DriverManager.getConnection(schemaUrl()); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT table_name FROM information_schema.tables WHERE table_schema = '"
            + schema + "' ORDER BY table_name")) {
      java.util.List<String> tables = new java.util.ArrayList<>();
      while (rows.next()) {
        tables.add(rows.getString(1));
      }
      assertThat(tables).containsExactly("agentflow_blobs", "agentflow_graph_aliases", "agentflow_graph_versions");
    }
  }
}
