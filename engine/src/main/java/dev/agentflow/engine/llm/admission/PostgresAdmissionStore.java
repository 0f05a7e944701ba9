package dev.agentflow.engine.llm.admission;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import javax.sql.DataSource;

/**
 * Every pool's window and queue in two PostgreSQL tables, so all workers of a deployment share one
 * limit (the database the PostgreSQL blob store already needs). Each operation is one short
 * transaction that first takes a transaction-scoped advisory lock on the pool, so decisions of
 * different workers are made one at a time and always on the same data; time is the database's
 * clock, so workers whose clocks disagree still agree on the window.
 *
 * <pre>{@code
 * agentflow_admission_window (id bigserial, pool, at timestamptz, tokens bigint, requests int)
 * agentflow_admission_queue  (ticket bigserial, pool, tokens bigint, seen timestamptz)
 * }</pre>
 *
 * Rows leave the window table once they stop counting. A waiting call refreshes {@code seen} each
 * time it asks (at least every second); a ticket not seen for {@link #STALE} belonged to a worker
 * that died, and is dropped so the line moves on.
 */
public final class PostgresAdmissionStore implements AdmissionStore {

  static final String WINDOW = "agentflow_admission_window";
  static final String QUEUE = "agentflow_admission_queue";

  /** A waiting ticket not refreshed for this long is dropped. */
  static final Duration STALE = Duration.ofSeconds(15);

  private final DataSource dataSource;
  private volatile boolean tablesReady;

  public PostgresAdmissionStore(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  @Override
  public long enqueue(String pool, long tokens) {
    return inTransaction(pool, (connection, now) -> {
      try (PreparedStatement insert = connection.prepareStatement(
          "INSERT INTO " + QUEUE + " (pool, tokens, seen) VALUES (?, ?, ?) RETURNING ticket")) {
        insert.setString(1, pool);
        insert.setLong(2, tokens);
        insert.setObject(3, timestamp(now));
        try (ResultSet rows = insert.executeQuery()) {
          rows.next();
          return rows.getLong(1);
        }
      }
    });
  }

  @Override
  public Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
    return inTransaction(pool, (connection, now) -> {
      update(connection, "DELETE FROM " + WINDOW + " WHERE pool = ? AND at <= ?", pool, now.minus(SlidingWindow.SPAN));
      update(connection, "DELETE FROM " + QUEUE + " WHERE pool = ? AND seen < ? AND ticket <> ?", pool, now.minus(STALE),
          ticket);
      try (PreparedStatement refresh = connection.prepareStatement(
          "INSERT INTO " + QUEUE + " (ticket, pool, tokens, seen) VALUES (?, ?, ?, ?)"
              + " ON CONFLICT (ticket) DO UPDATE SET seen = excluded.seen")) {
        refresh.setLong(1, ticket);
        refresh.setString(2, pool);
        refresh.setLong(3, tokens);
        refresh.setObject(4, timestamp(now));
        refresh.executeUpdate();
      }
      List<WindowEntry> entries = entries(connection, pool);
      long aheadTokens = 0;
      int ahead = 0;
      try (PreparedStatement query = connection.prepareStatement(
          "SELECT count(*), coalesce(sum(tokens), 0) FROM " + QUEUE + " WHERE pool = ? AND ticket < ?")) {
        query.setString(1, pool);
        query.setLong(2, ticket);
        try (ResultSet rows = query.executeQuery()) {
          rows.next();
          ahead = rows.getInt(1);
          aheadTokens = rows.getLong(2);
        }
      }
      if (ahead > 0) {
        return Attempt.waiting(SlidingWindow.waitFor(entries, now, tokens + aheadTokens, ahead + 1, limits), ahead);
      }
      Duration wait = SlidingWindow.waitFor(entries, now, tokens, limits);
      if (!wait.isZero()) {
        return Attempt.waiting(wait, 0);
      }
      update(connection, "DELETE FROM " + QUEUE + " WHERE ticket = ?", ticket);
      return Attempt.admitted(insertEntry(connection, pool, new WindowEntry(now, tokens, 1)));
    });
  }

  @Override
  public void leave(String pool, long ticket) {
    inTransaction(pool, (connection, now) -> update(connection, "DELETE FROM " + QUEUE + " WHERE ticket = ?", ticket));
  }

  @Override
  public void settle(String pool, long admission, long tokens) {
    inTransaction(pool, (connection, now) ->
        update(connection, "UPDATE " + WINDOW + " SET tokens = ? WHERE id = ?", tokens, admission));
  }

  @Override
  public void tighten(String pool, RateLimits limits, long remainingTokens, Duration resetAfter) {
    inTransaction(pool, (connection, now) -> {
      long free = SlidingWindow.freeTokens(entries(connection, pool), now, limits);
      if (limits.tokensPerMinute() > 0 && remainingTokens < free && resetAfter.toMillis() > 0) {
        insertEntry(connection, pool,
            new WindowEntry(now.plus(resetAfter).minus(SlidingWindow.SPAN), free - remainingTokens, 0));
      }
      return null;
    });
  }

  @Override
  public void pause(String pool, RateLimits limits, Duration retryAfter) {
    if (retryAfter.toMillis() <= 0) {
      return;
    }
    inTransaction(pool, (connection, now) -> insertEntry(connection, pool, new WindowEntry(
        now.plus(retryAfter).minus(SlidingWindow.SPAN), limits.tokensPerMinute(), limits.requestsPerMinute())));
  }

  private static List<WindowEntry> entries(Connection connection, String pool) throws SQLException {
    List<WindowEntry> entries = new ArrayList<>();
    try (PreparedStatement query =
        connection.prepareStatement("SELECT at, tokens, requests FROM " + WINDOW + " WHERE pool = ?")) {
      query.setString(1, pool);
      try (ResultSet rows = query.executeQuery()) {
        while (rows.next()) {
          entries.add(new WindowEntry(
              rows.getObject(1, OffsetDateTime.class).toInstant(), rows.getLong(2), rows.getInt(3)));
        }
      }
    }
    return entries;
  }

  private static long insertEntry(Connection connection, String pool, WindowEntry entry) throws SQLException {
    try (PreparedStatement insert = connection.prepareStatement(
        "INSERT INTO " + WINDOW + " (pool, at, tokens, requests) VALUES (?, ?, ?, ?) RETURNING id")) {
      insert.setString(1, pool);
      insert.setObject(2, timestamp(entry.at()));
      insert.setLong(3, entry.tokens());
      insert.setInt(4, entry.requests());
      try (ResultSet rows = insert.executeQuery()) {
        rows.next();
        return rows.getLong(1);
      }
    }
  }

  private static int update(Connection connection, String sql, Object... parameters) throws SQLException {
    try (PreparedStatement statement = connection.prepareStatement(sql)) {
      for (int i = 0; i < parameters.length; i++) {
        Object value = parameters[i] instanceof Instant instant ? timestamp(instant) : parameters[i];
        statement.setObject(i + 1, value);
      }
      return statement.executeUpdate();
    }
  }

  private static OffsetDateTime timestamp(Instant instant) {
    return instant.atOffset(ZoneOffset.UTC);
  }

  @FunctionalInterface
  private interface Work<T> {
    T run(Connection connection, Instant now) throws SQLException;
  }

  /** Runs {@code work} in one transaction holding the pool's advisory lock, with the database's time. */
  private <T> T inTransaction(String pool, Work<T> work) {
    try (Connection connection = dataSource.getConnection()) {
      connection.setAutoCommit(false);
      try {
        if (!tablesReady) {
          createTables(connection);
        }
        Instant now;
        try (PreparedStatement lock = connection.prepareStatement(
            "SELECT pg_advisory_xact_lock(hashtext(?)), clock_timestamp()")) {
          lock.setString(1, "agentflow-admission:" + pool);
          try (ResultSet rows = lock.executeQuery()) {
            rows.next();
            now = rows.getObject(2, OffsetDateTime.class).toInstant();
          }
        }
        T result = work.run(connection, now);
        connection.commit();
        return result;
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      }
    } catch (SQLException e) {
      throw new IllegalStateException(
          "the admission tables (" + WINDOW + ", " + QUEUE + ") cannot be used: " + e.getMessage(), e);
    }
  }

  private void createTables(Connection connection) throws SQLException {
    try (PreparedStatement lock = connection.prepareStatement("SELECT pg_advisory_xact_lock(hashtext(?))")) {
      lock.setString(1, "agentflow-admission-tables");
      lock.executeQuery().close();
    }
    try (var statement = connection.createStatement()) {
      statement.execute("CREATE TABLE IF NOT EXISTS " + WINDOW + " (id bigserial PRIMARY KEY, pool text NOT NULL,"
          + " at timestamptz NOT NULL, tokens bigint NOT NULL, requests int NOT NULL)");
      statement.execute("CREATE INDEX IF NOT EXISTS " + WINDOW + "_pool_at ON " + WINDOW + " (pool, at)");
      statement.execute("CREATE TABLE IF NOT EXISTS " + QUEUE + " (ticket bigserial PRIMARY KEY, pool text NOT NULL,"
          + " tokens bigint NOT NULL, seen timestamptz NOT NULL)");
    }
    connection.commit();
    tablesReady = true;
  }
}
