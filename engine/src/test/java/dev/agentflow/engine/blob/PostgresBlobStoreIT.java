package dev.agentflow.engine.blob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The PostgreSQL store against a real server: the same contract as the directory store, plus what
 * only a database shows. Each test gets its own schema, so each store starts without a table.
 * Needs {@code AGENTFLOW_IT_PG_URL} (a JDBC URL; {@code .ci/run} starts a server and sets it).
 */
class PostgresBlobStoreIT extends BlobStoreContractTest {

  private static final String URL_VARIABLE = "AGENTFLOW_IT_PG_URL";

  private String schema;

  @Override
  protected BlobStore newEmptyStore() throws SQLException {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no PostgreSQL to test against (.ci/run starts one)");
    schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    execute("CREATE SCHEMA " + schema);
    return new PostgresBlobStore(schemaUrl(), null, null);
  }

  private String schemaUrl() {
    String url = System.getenv(URL_VARIABLE);
    return url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
  }

  private void execute(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(System.getenv(URL_VARIABLE));
        Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  private long queryLong(String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(schemaUrl());
        Statement statement = connection.createStatement();
        ResultSet row = statement.executeQuery(sql)) {
      row.next();
      return row.getLong(1);
    }
  }

  private static byte[] bytes(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void the_table_is_created_on_first_use_in_the_schema_of_the_url() throws SQLException {
    assertThat(queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema + "'")).isZero();

    store.put(bytes("first"));

    assertThat(queryLong("SELECT count(*) FROM information_schema.tables WHERE table_schema = '" + schema
        + "' AND table_name = 'agentflow_blobs'")).isEqualTo(1);
  }

  @Test
  void putting_the_same_bytes_again_writes_one_row_with_their_size() throws SQLException {
    store.put(bytes("twice"));
    store.put(bytes("twice"));

    assertThat(queryLong("SELECT count(*) FROM agentflow_blobs")).isEqualTo(1);
    assertThat(queryLong("SELECT size FROM agentflow_blobs")).isEqualTo(5);
  }

  @Test
  void a_second_store_on_the_same_database_reads_what_the_first_wrote() {
    String ref = store.put(bytes("shared"));

    assertThat(new PostgresBlobStore(schemaUrl(), null, null).get(ref)).asString(StandardCharsets.UTF_8).isEqualTo("shared");
  }

  @Test
  void a_reference_is_the_same_as_the_directory_stores(@TempDir Path directory) {
    byte[] content = bytes("{\"role\":\"user\",\"content\":\"hello\"}");

    assertThat(store.put(content)).isEqualTo(new DirectoryBlobStore(directory).put(content));
  }

  @Test
  void two_new_stores_creating_the_table_at_the_same_time_both_work() throws Exception {
    PostgresBlobStore first = new PostgresBlobStore(schemaUrl(), null, null);
    PostgresBlobStore second = new PostgresBlobStore(schemaUrl(), null, null);
    Thread other = new Thread(() -> first.put(bytes("race")));
    other.start();
    String ref = second.put(bytes("race"));
    other.join(30_000);

    assertThat(first.get(ref)).isEqualTo(bytes("race"));
  }

  @Test
  void a_libpq_style_url_with_user_and_password_works_like_the_jdbc_url() {
    // The CI cluster trusts local connections, so any password is accepted; the user must exist.
    String jdbc = schemaUrl();
    String hostPortDb = jdbc.substring("jdbc:postgresql://".length(), jdbc.indexOf('?'));
    PostgresBlobStore fromUrl =
        PostgresBlobStore.fromUrl("postgresql://agentflow:p%40ss%3Aword@" + hostPortDb + "?currentSchema=" + schema);

    String ref = fromUrl.put(bytes("libpq"));

    assertThat(store.get(ref)).asString(StandardCharsets.UTF_8).isEqualTo("libpq");
  }

  @Test
  void a_url_that_is_not_postgresql_is_refused_without_echoing_credentials() {
    assertThatThrownBy(() -> PostgresBlobStore.fromUrl("mysql://root:s3cret@db:3306/x"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
    assertThatThrownBy(() -> new PostgresBlobStore("jdbc:mysql://db/x?password=s3cret", null, null))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageNotContaining("s3cret");
  }

  @Test
  void an_unreachable_database_is_an_error_that_names_it_but_not_the_password() {
    PostgresBlobStore unreachable =
        PostgresBlobStore.fromUrl("postgresql://agentflow:s3cret@127.0.0.1:1/agentflow?connectTimeout=2");

    assertThatThrownBy(() -> unreachable.put(bytes("x")))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("127.0.0.1:1/agentflow")
        .hasMessageNotContaining("s3cret");
  }
}
