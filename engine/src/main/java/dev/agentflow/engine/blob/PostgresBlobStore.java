package dev.agentflow.engine.blob;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A blob store in one PostgreSQL table, so workers on several machines share conversations and
 * large values (a {@link DirectoryBlobStore} is only shared by workers that share a disk).
 * References are the same as the directory store's ({@code sha256:<hex>} of the content).
 *
 * <p>The table is created on first use:
 *
 * <pre>{@code
 * CREATE TABLE IF NOT EXISTS agentflow_blobs (
 *   ref text PRIMARY KEY, content bytea NOT NULL, size bigint, created_at timestamptz DEFAULT now())
 * }</pre>
 *
 * in the first schema of the connection's search path (set it with {@code currentSchema=} in the
 * URL). A put is {@code INSERT … ON CONFLICT DO NOTHING}: the same bytes always make the same row, so
 * a retried activity, or two workers writing the same conversation, write nothing new.
 *
 * <p>Each operation opens and closes its own connection. That costs a few milliseconds next to a
 * model call that takes seconds, holds no connection while a worker is idle, and needs no pool
 * library; put a pooler (PgBouncer) in front when many workers share one database.
 */
public final class PostgresBlobStore implements BlobStore {

  static final String TABLE = "agentflow_blobs";

  private static final String CREATE_TABLE =
      "CREATE TABLE IF NOT EXISTS " + TABLE + " (ref text PRIMARY KEY, content bytea NOT NULL, size bigint,"
          + " created_at timestamptz DEFAULT now())";
  private static final String INSERT =
      "INSERT INTO " + TABLE + " (ref, content, size) VALUES (?, ?, ?) ON CONFLICT (ref) DO NOTHING";
  private static final String SELECT = "SELECT content FROM " + TABLE + " WHERE ref = ?";

  /** SQL states of a concurrent {@code CREATE TABLE IF NOT EXISTS} that another session won. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String DUPLICATE_TABLE = "42P07";

  private final PGSimpleDataSource dataSource = new PGSimpleDataSource();
  private final String where;
  private volatile boolean tableReady;

  /**
   * A store on a database.
   *
   * @param jdbcUrl e.g. {@code jdbc:postgresql://db.internal:5432/agentflow?sslmode=require}
   * @param user database user, or null when the URL carries it
   * @param password the user's password, or null when the URL carries it or none is needed
   * @throws IllegalArgumentException when the URL is not a PostgreSQL JDBC URL
   */
  public PostgresBlobStore(String jdbcUrl, String user, String password) {
    if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
      throw new IllegalArgumentException("not a PostgreSQL JDBC URL (jdbc:postgresql://host:port/database): " + withoutQuery(jdbcUrl));
    }
    dataSource.setURL(jdbcUrl);
    if (user != null) {
      dataSource.setUser(user);
    }
    if (password != null) {
      dataSource.setPassword(password);
    }
    this.where = withoutQuery(jdbcUrl);
  }

  /**
   * The store's database, for the pools' admission tables ({@code PostgresAdmissionStore}), which
   * live next to the blobs so a deployment of several workers needs no second database.
   */
  public javax.sql.DataSource dataSource() {
    return dataSource;
  }

  /**
   * A store from one URL, as deployments pass it in one setting or environment variable: either a
   * JDBC URL ({@code jdbc:postgresql://host:5432/db?user=u&password=p}) or a libpq-style URL ({@code
   * postgresql://u:p@host:5432/db?sslmode=require}, also {@code postgres://}; percent-encode special
   * characters in the user and password).
   */
  public static PostgresBlobStore fromUrl(String url) {
    if (url != null && url.startsWith("jdbc:")) {
      return new PostgresBlobStore(url, null, null);
    }
    if (url == null || !(url.startsWith("postgresql://") || url.startsWith("postgres://"))) {
      throw new IllegalArgumentException(
          "not a PostgreSQL URL (postgresql://user:password@host:port/database or jdbc:postgresql://…): " + withoutQuery(url));
    }
    URI uri;
    try {
      uri = new URI(url);
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException("not a PostgreSQL URL: " + withoutQuery(url) + " (" + e.getReason() + ")");
    }
    String user = null;
    String password = null;
    String userInfo = uri.getRawUserInfo();
    if (userInfo != null) {
      int colon = userInfo.indexOf(':');
      user = decode(colon < 0 ? userInfo : userInfo.substring(0, colon));
      password = colon < 0 ? null : decode(userInfo.substring(colon + 1));
    }
    String hostPort = uri.getPort() < 0 ? uri.getHost() : uri.getHost() + ":" + uri.getPort();
    String path = uri.getRawPath() == null ? "" : uri.getRawPath();
    String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
    return new PostgresBlobStore("jdbc:postgresql://" + hostPort + path + query, user, password);
  }

  @Override
  public String put(byte[] content) {
    String ref = BlobRefs.of(content);
    ensureTable();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, ref);
      insert.setBytes(2, content);
      insert.setLong(3, content.length);
      insert.executeUpdate();
      return ref;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write blob " + ref + " to " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] get(String ref) {
    BlobRefs.requireValid(ref);
    ensureTable();
    try (Connection connection = dataSource.getConnection();
        PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setString(1, ref);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new BlobNotFoundException(ref);
        }
        return row.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read blob " + ref + " from " + where + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PostgresBlobStore[" + where + "]";
  }

  private void ensureTable() {
    if (tableReady) {
      return;
    }
    try (Connection connection = dataSource.getConnection(); Statement create = connection.createStatement()) {
      create.execute(CREATE_TABLE);
    } catch (SQLException e) {
      // Two sessions creating the table at once: one wins, the other sees a duplicate. Both are fine.
      if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())) {
        throw new IllegalStateException("cannot create table " + TABLE + " in " + where + ": " + e.getMessage(), e);
      }
    }
    tableReady = true;
  }

  private static String decode(String text) {
    return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
  }

  /** The URL without its query string, where a password may be: safe for messages and logs. */
  private static String withoutQuery(String url) {
    if (url == null) {
      return "null";
    }
    int query = url.indexOf('?');
    String base = query < 0 ? url : url.substring(0, query);
    int at = base.lastIndexOf('@');
    int scheme = base.indexOf("://");
    return at > scheme && scheme >= 0 ? base.substring(0, scheme + 3) + "…@" + base.substring(at + 1) : base;
  }
}
