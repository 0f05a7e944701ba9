package dev.agentflow.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What {@link AdmissionLoad} reads from the PostgreSQL server while calls wait: committed
 * transactions, the server's CPU time, and the most connections in use.
 */
final class AdmissionLoadSampler implements Runnable {
  private final String url;
  private final Path pgData;
  private final AtomicInteger mostConnections = new AtomicInteger();
  private volatile boolean running = true;

  AdmissionLoadSampler(String url, Path pgData) {
    this.url = url;
    this.pgData = pgData;
  }

  int mostConnections() {
    return mostConnections.get();
  }

  void stop() {
    running = false;
  }

  long commits() throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery(
            "SELECT xact_commit FROM pg_stat_database WHERE datname = current_database()")) {
      rows.next();
      return rows.getLong(1);
    }
  }

  /** The server's CPU seconds: the postmaster's, its reaped children's, and its live children's. */
  double cpuSeconds() throws Exception {
    if (pgData == null) {
      return 0;
    }
    String postmaster = Files.readAllLines(pgData.resolve("postmaster.pid")).get(0).trim();
    long ticks = 0;
    String[] own = stat(postmaster);
    ticks += Long.parseLong(own[13]) + Long.parseLong(own[14]) + Long.parseLong(own[15]) + Long.parseLong(own[16]);
    try (var processes = Files.list(Path.of("/proc"))) {
      for (Path process : processes.filter(p -> p.getFileName().toString().matches("\\d+")).toList()) {
        String[] fields = stat(process.getFileName().toString());
        if (fields != null && fields[3].equals(postmaster)) {
          ticks += Long.parseLong(fields[13]) + Long.parseLong(fields[14]);
        }
      }
    }
    return ticks / 100.0;
  }

  private static String[] stat(String pid) {
    try {
      String text = Files.readString(Path.of("/proc", pid, "stat"));
      String afterName = text.substring(text.lastIndexOf(')') + 2);
      String[] rest = afterName.split(" ");
      String[] fields = new String[rest.length + 2];
      fields[0] = pid;
      fields[1] = "";
      System.arraycopy(rest, 0, fields, 2, rest.length);
      return fields;
    } catch (Exception gone) {
      return null;
    }
  }

  @Override
  public void run() {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      while (running) {
        try (ResultSet rows = statement.executeQuery(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()")) {
          rows.next();
          mostConnections.accumulateAndGet(rows.getInt(1), Math::max);
        }
        Thread.sleep(100);
      }
    } catch (Exception e) {
      System.out.println("sampler stopped: " + e);
    }
  }
}
