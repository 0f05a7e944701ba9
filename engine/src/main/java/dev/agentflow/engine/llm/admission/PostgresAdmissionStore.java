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
import java.util.concurrent.Semaphore;
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
 * Rows leave the window table once they stop counting. A ticket not seen for {@link #STALE}
 * belonged to a worker that died, and is dropped so the line moves on; {@code seen} is refreshed by
 * each ask and, for all of a process's waiting tickets at once, by its {@link LineBell}.
 *
 * <p>Many calls may wait at once (a thousand agents on a few workers), so waiting costs the
 * database little: only the first call in line asks at its exact time (at least every second); a
 * call further back asks again after a second per call ahead of it, up to {@link #LINE_POLL_MAX},
 * and is woken sooner by a notification when the line moves to it ({@link LineBell}). A store opens
 * at most {@link #MAX_TRANSACTIONS} connections at once (plus its bell's), so waiting calls never
 * exhaust the server's connections; the others wait their turn in the process.
 */
public final class PostgresAdmissionStore implements AdmissionStore {

  static final String WINDOW = "agentflow_admission_window";
  static final String QUEUE = "agentflow_admission_queue";

  /** A waiting ticket not refreshed for this long is dropped. */
  static final Duration STALE = Duration.ofSeconds(15);

  /** How much longer a call waits before asking again for each call ahead of it. */
  static final Duration LINE_POLL_STEP = Duration.ofSeconds(1);

  /** The longest a call further back waits before asking again while its bell keeps its place. */
  static final Duration LINE_POLL_MAX = Duration.ofSeconds(30);

  /** The longest it waits without the bell: its own asks must keep its place (well within {@link #STALE}). */
  static final Duration UNKEPT_POLL_MAX = Duration.ofSeconds(10);

  /** Transactions (connections) a store runs at once. */
  static final int MAX_TRANSACTIONS = 4;

  private final DataSource dataSource;
  private final LineBell bell;
  private final Semaphore transactions = new Semaphore(MAX_TRANSACTIONS, true);
  private volatile boolean tablesReady;

  public PostgresAdmissionStore(DataSource dataSource) {
    this.dataSource = dataSource;
    this.bell = new LineBell(dataSource);
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
          long ticket = rows.getLong(1);
          bell.join(ticket);
          return ticket;
        }
      }
    });
  }

  @Override
  public Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
    Attempt attempt = inTransaction(pool, (connection, now) -> {
      update(connection, "DELETE FROM " + WINDOW + " WHERE pool = ? AND at <= ?", pool, now.minus(SlidingWindow.SPAN));
      int dropped = update(connection, "DELETE FROM " + QUEUE + " WHERE pool = ? AND seen < ? AND ticket <> ?", pool,
          now.minus(STALE), ticket);
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
      if (dropped > 0) {
        ringFirstInLine(connection, pool);
      }
      if (ahead > 0) {
        // only the first in line can go: even when the window has room for this call and all
        // before it, it asks again when the bell says its turn came, or after its place's sleep
        Duration wait = SlidingWindow.waitFor(entries, now, tokens + aheadTokens, ahead + 1, limits);
        return new Attempt(-1, wait, ahead, longestSleep(ahead));
      }
      Duration wait = SlidingWindow.waitFor(entries, now, tokens, limits);
      if (!wait.isZero()) {
        return Attempt.waiting(wait, 0);
      }
      update(connection, "DELETE FROM " + QUEUE + " WHERE ticket = ?", ticket);
      long admission = insertEntry(connection, pool, new WindowEntry(now, tokens, 1));
      ringFirstInLine(connection, pool);
      return Attempt.admitted(admission);
    });
    if (attempt.isAdmitted()) {
      bell.leave(ticket);
    }
    return attempt;
  }

  /** How long a call with {@code ahead} calls before it may wait before asking again. */
  private Duration longestSleep(int ahead) {
    Duration byPlace = LINE_POLL_STEP.multipliedBy(1L + ahead);
    Duration cap = bell.connected() ? LINE_POLL_MAX : UNKEPT_POLL_MAX;
    return byPlace.compareTo(cap) > 0 ? cap : byPlace;
  }

  /** Whether this store's waiting calls are woken and their places kept by its bell right now. */
  boolean wakesWaiters() {
    return bell.connected();
  }

  @Override
  public boolean await(String pool, long ticket, Duration askAgainIn, PoolAdmission.Sleeper sleeper)
      throws InterruptedException {
    return bell.await(ticket, askAgainIn);
  }

  @Override
  public void leave(String pool, long ticket) {
    bell.leave(ticket);
    inTransaction(pool, (connection, now) -> {
      update(connection, "DELETE FROM " + QUEUE + " WHERE ticket = ?", ticket);
      ringFirstInLine(connection, pool);
      return null;
    });
  }

  @Override
  public void settle(String pool, long admission, long tokens) {
    inTransaction(pool, (connection, now) -> {
      update(connection, "UPDATE " + WINDOW + " SET tokens = ? WHERE id = ?", tokens, admission);
      ringFirstInLine(connection, pool);
      return null;
    });
  }

  /**
   * Tells the first call in line (whichever worker it waits in) that the line or the window changed,
   * when this transaction commits, so it asks now rather than when its sleep ends.
   */
  private static void ringFirstInLine(Connection connection, String pool) throws SQLException {
    try (PreparedStatement notify = connection.prepareStatement("SELECT pg_notify('" + LineBell.CHANNEL
        + "', min(ticket)::text) FROM " + QUEUE + " WHERE pool = ? HAVING min(ticket) IS NOT NULL")) {
      notify.setString(1, pool);
      notify.executeQuery().close();
    }
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
    transactions.acquireUninterruptibly();
    try {
      return inOneTransaction(pool, work);
    } finally {
      transactions.release();
    }
  }

  private <T> T inOneTransaction(String pool, Work<T> work) {
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
