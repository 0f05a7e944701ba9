package dev.agentflow.engine.blob;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

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

  private final PostgresDatabase database;
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
    this(new PostgresDatabase(jdbcUrl, user, password));
  }

  /** A store on a database another part (the graph registry) shares. */
  public PostgresBlobStore(PostgresDatabase database) {
    this.database = database;
  }

  /**
   * A store from one URL, as deployments pass it in one setting or environment variable (see {@link
   * PostgresDatabase#fromUrl}).
   */
  public static PostgresBlobStore fromUrl(String url) {
    return new PostgresBlobStore(PostgresDatabase.fromUrl(url));
  }

  /** The database this store writes to (the graph registry keeps its index there too). */
  public PostgresDatabase database() {
    return database;
  }

  @Override
  public String put(byte[] content) {
    String ref = BlobRefs.of(content);
    ensureTable();
    try (Connection connection = database.connection();
        PreparedStatement insert = connection.prepareStatement(INSERT)) {
      insert.setString(1, ref);
      insert.setBytes(2, content);
      insert.setLong(3, content.length);
      insert.executeUpdate();
      return ref;
    } catch (SQLException e) {
      throw new IllegalStateException("cannot write blob " + ref + " to " + database.where() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public byte[] get(String ref) {
    BlobRefs.requireValid(ref);
    ensureTable();
    try (Connection connection = database.connection();
        PreparedStatement select = connection.prepareStatement(SELECT)) {
      select.setString(1, ref);
      try (ResultSet row = select.executeQuery()) {
        if (!row.next()) {
          throw new BlobNotFoundException(ref);
        }
        return row.getBytes(1);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("cannot read blob " + ref + " from " + database.where() + ": " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "PostgresBlobStore[" + database.where() + "]";
  }

  private void ensureTable() {
    if (tableReady) {
      return;
    }
    try (Connection connection = database.connection(); Statement create = connection.createStatement()) {
      create.execute(CREATE_TABLE);
    } catch (SQLException e) {
      // Two sessions creating the table at once: one wins, the other sees a duplicate. Both are fine.
      if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())) {
        throw new IllegalStateException("cannot create table " + TABLE + " in " + database.where() + ": " + e.getMessage(), e);
      }
    }
    tableReady = true;
  }
}
