package dev.agentflow.engine.llm.admission;

import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import javax.sql.DataSource;
import org.postgresql.PGConnection;
import org.postgresql.PGNotification;

/**
 * Wakes this process's calls waiting in a {@link PostgresAdmissionStore} line when the line moves
 * to them, and keeps their places, so that a call far back in line need not ask the database often:
 * one connection per process {@code LISTEN}s on {@link #CHANNEL} (a transaction that admits a call,
 * or lets one leave or settle, notifies the ticket now first in line), and refreshes the {@code
 * seen} time of all this process's waiting tickets in one statement every {@link #KEEP_ALIVE}. A
 * ticket of a process that died is no longer refreshed and is dropped after {@link
 * PostgresAdmissionStore#STALE}, as before.
 *
 * <p>Nothing depends on a notification arriving: a waiter still asks again when its own time comes
 * ({@link AdmissionStore.Attempt#askAgainIn}), and when the listening connection is (re)opened every
 * waiter of the process is woken once, in case a notification went by unheard. The connection is
 * opened when a call first waits and closed after {@link #IDLE} without one.
 */
final class LineBell {

  /** The notification channel; the payload is the ticket now first in line. */
  static final String CHANNEL = "agentflow_admission";

  /** How often the waiting tickets' places are refreshed (well within {@link PostgresAdmissionStore#STALE}). */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(5);

  /** How long the listening connection stays open with no call waiting. */
  static final Duration IDLE = Duration.ofSeconds(60);

  private static final int LISTEN_MILLIS = 500;
  private static final Duration RECONNECT = Duration.ofSeconds(1);

  private final DataSource dataSource;
  private final Map<Long, Semaphore> waiting = new ConcurrentHashMap<>();
  private boolean listening;
  private volatile boolean connected;

  LineBell(DataSource dataSource) {
    this.dataSource = dataSource;
  }

  /** A ticket of this process joined a line (before the first ask, so no notification is missed). */
  void join(long ticket) {
    waiting.put(ticket, new Semaphore(0));
  }

  /** The ticket was admitted or left the line. */
  void leave(long ticket) {
    waiting.remove(ticket);
  }

  /** Whether waiters are woken and their places kept (the listening connection is open). */
  boolean connected() {
    return connected;
  }

  /** Waits up to {@code longest}, or until the line moves to the ticket (then says true). */
  boolean await(long ticket, Duration longest) throws InterruptedException {
    Semaphore bell = waiting.get(ticket);
    if (bell == null) {
      Thread.sleep(longest.toMillis());
      return false;
    }
    listen();
    if (bell.tryAcquire(longest.toMillis(), TimeUnit.MILLISECONDS)) {
      bell.drainPermits();
      return true;
    }
    return false;
  }

  private synchronized void listen() {
    if (listening) {
      return;
    }
    listening = true;
    Thread thread = new Thread(this::run, "agentflow-admission-bell");
    thread.setDaemon(true);
    thread.start();
  }

  private void run() {
    Connection connection = null;
    long idleSince = System.nanoTime();
    long lastKeptAlive = idleSince - KEEP_ALIVE.toNanos();
    while (true) {
      try {
        if (connection == null) {
          connection = dataSource.getConnection();
          try (Statement statement = connection.createStatement()) {
            statement.execute("LISTEN " + CHANNEL);
          }
          connected = true;
          waiting.values().forEach(Semaphore::release);
        }
        PGNotification[] notifications = connection.unwrap(PGConnection.class).getNotifications(LISTEN_MILLIS);
        if (notifications != null) {
          for (PGNotification notification : notifications) {
            ring(notification.getParameter());
          }
        }
        long now = System.nanoTime();
        if (now - lastKeptAlive >= KEEP_ALIVE.toNanos()) {
          keepAlive(connection);
          lastKeptAlive = now;
        }
        if (!waiting.isEmpty()) {
          idleSince = now;
        } else if (now - idleSince >= IDLE.toNanos() && stopWhenIdle()) {
          connected = false;
          close(connection);
          return;
        }
      } catch (SQLException | RuntimeException e) {
        // waiters keep asking on their own meanwhile; try again shortly
        connected = false;
        close(connection);
        connection = null;
        try {
          Thread.sleep(RECONNECT.toMillis());
        } catch (InterruptedException stopped) {
          synchronized (this) {
            listening = false;
          }
          return;
        }
      }
    }
  }

  private synchronized boolean stopWhenIdle() {
    if (waiting.isEmpty()) {
      listening = false;
      return true;
    }
    return false;
  }

  private void ring(String payload) {
    try {
      Semaphore bell = waiting.get(Long.parseLong(payload.trim()));
      if (bell != null) {
        bell.release();
      }
    } catch (NumberFormatException notOurs) {
      // another sender on the channel: nothing to wake
    }
  }

  /**
   * Refreshes the places of this process's waiting tickets. It never waits for a row another
   * transaction holds (that transaction is refreshing or removing the ticket itself), so it cannot
   * take part in a deadlock with the store's transactions.
   */
  private void keepAlive(Connection connection) throws SQLException {
    Long[] tickets = waiting.keySet().toArray(new Long[0]);
    if (tickets.length == 0) {
      return;
    }
    Array array = connection.createArrayOf("bigint", tickets);
    try (PreparedStatement refresh = connection.prepareStatement(
        "UPDATE " + PostgresAdmissionStore.QUEUE + " SET seen = clock_timestamp() WHERE ticket IN (SELECT ticket FROM "
            + PostgresAdmissionStore.QUEUE + " WHERE ticket = ANY(?) FOR UPDATE SKIP LOCKED)")) {
      refresh.setArray(1, array);
      refresh.executeUpdate();
    } finally {
      array.free();
    }
  }

  private static void close(Connection connection) {
    if (connection != null) {
      try {
        connection.close();
      } catch (SQLException ignored) {
        // already broken
      }
    }
  }
}
