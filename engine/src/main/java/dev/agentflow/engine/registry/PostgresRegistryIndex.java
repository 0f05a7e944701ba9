package dev.agentflow.engine.registry;

import dev.agentflow.engine.blob.PostgresDatabase;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The registry index in PostgreSQL, in the database the blob store uses, so every machine of a
 * deployment sees the same names, versions and aliases. Two tables, created on first use in the
 * first schema of the connection's search path:
 *
 * <pre>{@code
 * agentflow_graph_versions (name text, version int, sha256 text, deployed_at timestamptz, PRIMARY KEY (name, version))
 * agentflow_graph_aliases  (name text, alias text, route text, updated_at timestamptz, PRIMARY KEY (name, alias))
 * }</pre>
 *
 * <p>A version is written with {@code INSERT … ON CONFLICT DO NOTHING}: the primary key makes one
 * writer win, and a writer whose insert touched no row reads the winner's. An alias is one upsert.
 */
public final class PostgresRegistryIndex implements RegistryIndex {

  static final String VERSIONS = "agentflow_graph_versions";
  static final String ALIASES = "agentflow_graph_aliases";

  private static final String[] CREATE = {
    "CREATE TABLE IF NOT EXISTS " + VERSIONS + " (name text NOT NULL, version integer NOT NULL, sha256 text NOT NULL,"
        + " deployed_at timestamptz NOT NULL, PRIMARY KEY (name, version))",
    "CREATE TABLE IF NOT EXISTS " + ALIASES + " (name text NOT NULL, alias text NOT NULL, route text NOT NULL,"
        + " updated_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (name, alias))"
  };
  private static final String INSERT_VERSION =
      "INSERT INTO " + VERSIONS + " (name, version, sha256, deployed_at) VALUES (?, ?, ?, ?) ON CONFLICT (name, version) DO NOTHING";
  private static final String SELECT_VERSION = "SELECT name, version, sha256, deployed_at FROM " + VERSIONS + " WHERE name = ? AND version = ?";
  private static final String SELECT_VERSIONS = "SELECT name, version, sha256, deployed_at FROM " + VERSIONS + " WHERE name = ? ORDER BY version";
  private static final String SELECT_NAMES = "SELECT DISTINCT name FROM " + VERSIONS + " ORDER BY name";
  private static final String SELECT_ALIASES = "SELECT alias, route FROM " + ALIASES + " WHERE name = ? ORDER BY alias";
  private static final String UPSERT_ALIAS =
      "INSERT INTO " + ALIASES + " (name, alias, route, updated_at) VALUES (?, ?, ?, now())"
          + " ON CONFLICT (name, alias) DO UPDATE SET route = EXCLUDED.route, updated_at = EXCLUDED.updated_at";

  /** SQL states of a concurrent {@code CREATE TABLE IF NOT EXISTS} that another session won. */
  private static final String UNIQUE_VIOLATION = "23505";
  private static final String DUPLICATE_TABLE = "42P07";

  private final PostgresDatabase database;
  private volatile boolean tablesReady;

  public PostgresRegistryIndex(PostgresDatabase database) {
    this.database = database;
  }

  @Override
  public Optional<VersionRecord> insert(VersionRecord version) {
    ensureTables();
    try (Connection connection = database.connection(); PreparedStatement insert = connection.prepareStatement(INSERT_VERSION)) {
      insert.setString(1, version.name());
      insert.setInt(2, version.version());
      insert.setString(3, version.sha256());
      insert.setTimestamp(4, Timestamp.from(version.deployedAt()));
      if (insert.executeUpdate() == 1) {
        return Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("write version " + version.version() + " of '" + version.name() + "'", e);
    }
    return find(version.name(), version.version());
  }

  @Override
  public Optional<VersionRecord> find(String name, int version) {
    ensureTables();
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(SELECT_VERSION)) {
      select.setString(1, name);
      select.setInt(2, version);
      try (ResultSet rows = select.executeQuery()) {
        return rows.next() ? Optional.of(record(rows)) : Optional.empty();
      }
    } catch (SQLException e) {
      throw failure("read version " + version + " of '" + name + "'", e);
    }
  }

  @Override
  public List<VersionRecord> versions(String name) {
    ensureTables();
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(SELECT_VERSIONS)) {
      select.setString(1, name);
      List<VersionRecord> versions = new ArrayList<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          versions.add(record(rows));
        }
      }
      return versions;
    } catch (SQLException e) {
      throw failure("list the versions of '" + name + "'", e);
    }
  }

  @Override
  public List<String> names() {
    ensureTables();
    try (Connection connection = database.connection(); Statement select = connection.createStatement();
        ResultSet rows = select.executeQuery(SELECT_NAMES)) {
      List<String> names = new ArrayList<>();
      while (rows.next()) {
        names.add(rows.getString(1));
      }
      return names;
    } catch (SQLException e) {
      throw failure("list graph names", e);
    }
  }

  @Override
  public Map<String, AliasRoute> aliases(String name) {
    ensureTables();
    try (Connection connection = database.connection(); PreparedStatement select = connection.prepareStatement(SELECT_ALIASES)) {
      select.setString(1, name);
      Map<String, AliasRoute> aliases = new TreeMap<>();
      try (ResultSet rows = select.executeQuery()) {
        while (rows.next()) {
          aliases.put(rows.getString(1), AliasRoute.parse(rows.getString(2)));
        }
      }
      return aliases;
    } catch (SQLException e) {
      throw failure("list the aliases of '" + name + "'", e);
    }
  }

  @Override
  public void setAlias(String name, String alias, AliasRoute route) {
    ensureTables();
    try (Connection connection = database.connection(); PreparedStatement upsert = connection.prepareStatement(UPSERT_ALIAS)) {
      upsert.setString(1, name);
      upsert.setString(2, alias);
      upsert.setString(3, route.toString());
      upsert.executeUpdate();
    } catch (SQLException e) {
      throw failure("write alias '" + alias + "' of '" + name + "'", e);
    }
  }

  private static VersionRecord record(ResultSet row) throws SQLException {
    return new VersionRecord(row.getString(1), row.getInt(2), row.getString(3), row.getTimestamp(4).toInstant());
  }

  private void ensureTables() {
    if (tablesReady) {
      return;
    }
    for (String create : CREATE) {
      try (Connection connection = database.connection(); Statement statement = connection.createStatement()) {
        statement.execute(create);
      } catch (SQLException e) {
        // Two sessions creating a table at once: one wins, the other sees a duplicate. Both are fine.
        if (!UNIQUE_VIOLATION.equals(e.getSQLState()) && !DUPLICATE_TABLE.equals(e.getSQLState())) {
          throw failure("create the registry tables", e);
        }
      }
    }
    tablesReady = true;
  }

  private IllegalStateException failure(String what, SQLException e) {
    return new IllegalStateException("cannot " + what + " in " + database.where() + ": " + e.getMessage(), e);
  }

  @Override
  public String toString() {
    return "PostgreSQL " + database.where();
  }
}
