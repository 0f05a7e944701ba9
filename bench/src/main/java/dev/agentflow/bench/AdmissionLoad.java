package dev.agentflow.bench;

import dev.agentflow.engine.blob.PostgresDatabase;
import dev.agentflow.engine.llm.admission.AdmissionStore;
import dev.agentflow.engine.llm.admission.PoolAdmission;
import dev.agentflow.engine.llm.admission.PostgresAdmissionStore;
import dev.agentflow.engine.llm.admission.RateLimits;
import dev.agentflow.engine.llm.admission.SlidingWindow;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Prints how the PostgreSQL-backed token admission behaves when many calls wait at once: K stores
 * (K workers, each with its own {@link PostgresAdmissionStore} and connections, as a worker has)
 * and W calls going through {@link PoolAdmission} with real sleeps, on one pool whose limit makes
 * them queue. Each admitted call "runs" for a while, then settles a real usage below its
 * reservation, so room comes back both as calls settle and as entries leave the window. Not a test:
 * nothing is asserted.
 *
 * <p>Printed: the transactions the database committed per second (and the store operations the
 * stores ran), asks per admitted call, the delay from "room for this call and it is first in line"
 * to admitted (p50/p99, reconstructed from what every call reserved, settled and when), the most
 * tokens admitted in any 60 s against the limit, FIFO violations (a later ticket admitted while an
 * earlier one still waited), failed calls, and the server's CPU and most connections in use.
 *
 * <pre>
 * java -cp bench/target/agentflow-bench.jar dev.agentflow.bench.AdmissionLoad
 *     --url jdbc:postgresql://127.0.0.1:PORT/agentflow?user=agentflow [--pg-data DIR]
 *     [--stores 4] [--calls 1000] [--tpm 24000] [--rpm 0] [--tokens 100] [--used 60]
 *     [--call-ms 500] [--ramp-seconds 5]
 * </pre>
 *
 * {@code --pg-data} is the server's data directory (its {@code postmaster.pid} gives the process
 * whose CPU time, with its children's, is the server's). Each run uses a new schema, dropped at the
 * end.
 */
public final class AdmissionLoad {

  private static final String POOL = "bench";

  private AdmissionLoad() {}

  /** What one call saw; times in ms since the start. */
  private static final class Call {
    volatile long ticket = -1;
    volatile long admission = -1;
    volatile double admittedAt = -1;
    volatile double settledAt = -1;
    final AtomicInteger asks = new AtomicInteger();
    volatile long reserved;
    volatile long used;
  }

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Benchmarks.options(args);
    String url = options.get("url");
    if (url == null) {
      url = System.getenv("AGENTFLOW_IT_PG_URL");
    }
    if (url == null) {
      throw new IllegalArgumentException("--url jdbc:postgresql://… is needed (or AGENTFLOW_IT_PG_URL)");
    }
    int storeCount = Integer.parseInt(options.getOrDefault("stores", "4"));
    int calls = Integer.parseInt(options.getOrDefault("calls", "1000"));
    long tpm = Long.parseLong(options.getOrDefault("tpm", "24000"));
    int rpm = Integer.parseInt(options.getOrDefault("rpm", "0"));
    long tokens = Long.parseLong(options.getOrDefault("tokens", "100"));
    long used = Long.parseLong(options.getOrDefault("used", "60"));
    long callMs = Long.parseLong(options.getOrDefault("call-ms", "500"));
    double rampSeconds = Double.parseDouble(options.getOrDefault("ramp-seconds", "5"));
    Path pgData = options.containsKey("pg-data") ? Path.of(options.get("pg-data")) : null;
    RateLimits limits = new RateLimits(tpm, rpm);

    System.out.printf("admission load, %s, %d cores, Java %s%n",
        OffsetDateTime.now().truncatedTo(ChronoUnit.SECONDS), Runtime.getRuntime().availableProcessors(),
        Runtime.version());
    System.out.printf("%d stores x %d calls (arriving over %.1f s), limit %d tokens / %d requests per minute,"
        + " %d tokens reserved, %d used, %d ms per call%n", storeCount, calls, rampSeconds, tpm, rpm, tokens, used,
        callMs);

    String schema = "bench_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
    execute(url, "CREATE SCHEMA " + schema);
    String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Map<Long, Call> byTicket = new ConcurrentHashMap<>();
    ThreadLocal<Call> current = new ThreadLocal<>();
    AtomicLong operations = new AtomicLong();
    List<PoolAdmission> admissions = new ArrayList<>();
    for (int i = 0; i < storeCount; i++) {
      AdmissionStore store = new Recording(
          new PostgresAdmissionStore(new PostgresDatabase(schemaUrl, null, null).dataSource()), current, byTicket,
          operations);
      admissions.add(new PoolAdmission(store, Map.of(POOL, limits), duration -> Thread.sleep(duration.toMillis())));
    }

    AdmissionLoadSampler sampler = new AdmissionLoadSampler(url, pgData);
    long commitsBefore = sampler.commits();
    double cpuBefore = sampler.cpuSeconds();
    long start = System.nanoTime();
    List<Call> all = new ArrayList<>();
    AtomicInteger failed = new AtomicInteger();
    AtomicReference<String> firstFailure = new AtomicReference<>();
    CountDownLatch done = new CountDownLatch(calls);
    Random random = new Random(7);
    for (int i = 0; i < calls; i++) {
      Call call = new Call();
      call.reserved = tokens;
      call.used = Math.max(0, used + random.nextInt(21) - 10);
      all.add(call);
      PoolAdmission admission = admissions.get(i % storeCount);
      long startAt = (long) (i * rampSeconds * 1000 / calls);
      Thread thread = new Thread(() -> {
        try {
          sleepUntil(start, startAt);
          current.set(call);
          PoolAdmission.Permit permit = admission.admit(POOL, call.reserved, note -> {});
          call.admittedAt = millisSince(start);
          Thread.sleep(callMs);
          permit.settle(call.used);
          call.settledAt = millisSince(start);
        } catch (Exception | Error e) {
          failed.incrementAndGet();
          firstFailure.compareAndSet(null, e.toString());
        } finally {
          done.countDown();
        }
      }, "call-" + i);
      thread.setDaemon(true);
      thread.start();
    }
    Thread sampling = new Thread(sampler, "sampler");
    sampling.setDaemon(true);
    sampling.start();
    done.await();
    double wall = millisSince(start) / 1000;
    sampler.stop();
    Thread.sleep(1500);
    long commits = sampler.commits() - commitsBefore;
    double cpu = sampler.cpuSeconds() - cpuBefore;

    report(all, byTicket, limits, wall, operations.get(), commits, cpu, pgData != null, sampler.mostConnections(),
        failed.get(), firstFailure.get());
    execute(url, "DROP SCHEMA " + schema + " CASCADE");
  }

  private static void report(List<Call> all, Map<Long, Call> byTicket, RateLimits limits, double wall,
      long operations, long commits, double cpu, boolean cpuKnown, int connections, int failed, String failure) {
    List<Call> admitted = all.stream().filter(c -> c.admission >= 0 && c.settledAt >= 0)
        .sorted(Comparator.comparingLong(c -> c.admission)).toList();
    long asks = admitted.stream().mapToLong(c -> c.asks.get()).sum();
    System.out.printf("wall %.1f s, %d admitted, %d failed%s%n", wall, admitted.size(), failed,
        failure == null ? "" : " (first: " + failure + ")");
    int[] perTenSeconds = new int[(int) (wall / 10) + 1];
    admitted.forEach(c -> perTenSeconds[Math.min(perTenSeconds.length - 1, (int) (c.admittedAt / 10_000))]++);
    System.out.println("admitted per 10 s: " + java.util.Arrays.toString(perTenSeconds));
    System.out.printf("database: %d transactions committed, %.0f per second; store operations %.0f per second%n",
        commits, commits / wall, operations / wall);
    System.out.printf("asks (tryAdmit) per admitted call: mean %.1f, max %d%n",
        admitted.isEmpty() ? 0.0 : (double) asks / admitted.size(),
        admitted.stream().mapToInt(c -> c.asks.get()).max().orElse(0));
    long violations = 0;
    long highest = -1;
    for (Call call : admitted) {
      if (call.ticket < highest) {
        violations++;
      }
      highest = Math.max(highest, call.ticket);
    }
    System.out.printf("FIFO violations (a later ticket admitted before an earlier one): %d%n", violations);
    List<Double> delays = delays(admitted.stream().sorted(Comparator.comparingLong(c -> c.ticket)).toList(), limits);
    System.out.printf("room available -> admitted: p50 %.0f ms, p99 %.0f ms, max %.0f ms%n",
        percentile(delays, 0.50), percentile(delays, 0.99), percentile(delays, 1.0));
    long worst = 0;
    int worstRequests = 0;
    for (Call from : admitted) {
      long inMinute = 0;
      int requests = 0;
      for (Call other : admitted) {
        if (other.admittedAt >= from.admittedAt && other.admittedAt < from.admittedAt + 60_000) {
          inMinute += other.used;
          requests++;
        }
      }
      worst = Math.max(worst, inMinute);
      worstRequests = Math.max(worstRequests, requests);
    }
    System.out.printf("most tokens used by calls admitted within any 60 s: %d (limit %s), calls %d (limit %s)%n",
        worst, limits.tokensPerMinute() == 0 ? "none"
            : String.format("%d, %.1f%%", limits.tokensPerMinute(), 100.0 * worst / limits.tokensPerMinute()),
        worstRequests, limits.requestsPerMinute() == 0 ? "none" : String.valueOf(limits.requestsPerMinute()));
    System.out.printf("postgres: CPU %s, most connections in use %d%n",
        cpuKnown ? String.format("%.1f s (%.0f%% of one core)", cpu, 100 * cpu / wall) : "unknown (no --pg-data)",
        connections);
  }

  /**
   * For each call in ticket order: how long after the first moment it could have gone (the call
   * before it admitted, and the window, as the calls before it reserved and settled, had room) it
   * was admitted.
   */
  private static List<Double> delays(List<Call> inTicketOrder, RateLimits limits) {
    List<Double> delays = new ArrayList<>();
    double span = SlidingWindow.SPAN.toMillis();
    for (int i = 1; i < inTicketOrder.size(); i++) {
      Call call = inTicketOrder.get(i);
      double previous = inTicketOrder.get(i - 1).admittedAt;
      List<Double> moments = new ArrayList<>();
      moments.add(previous);
      for (int j = 0; j < i; j++) {
        Call earlier = inTicketOrder.get(j);
        for (double moment : new double[] {earlier.settledAt, earlier.admittedAt + span}) {
          if (moment > previous && moment <= call.admittedAt) {
            moments.add(moment);
          }
        }
      }
      moments.sort(Double::compare);
      double room = call.admittedAt;
      for (double moment : moments) {
        long tokens = 0;
        int requests = 0;
        for (int j = 0; j < i; j++) {
          Call earlier = inTicketOrder.get(j);
          if (earlier.admittedAt <= moment && moment < earlier.admittedAt + span) {
            tokens += moment >= earlier.settledAt ? earlier.used : earlier.reserved;
            requests++;
          }
        }
        boolean fits = (limits.tokensPerMinute() == 0 || tokens + call.reserved <= limits.tokensPerMinute())
            && (limits.requestsPerMinute() == 0 || requests + 1 <= limits.requestsPerMinute());
        if (fits) {
          room = moment;
          break;
        }
      }
      delays.add(Math.max(0, call.admittedAt - room));
    }
    return delays;
  }

  private static double percentile(List<Double> values, double fraction) {
    if (values.isEmpty()) {
      return 0;
    }
    List<Double> sorted = new ArrayList<>(values);
    sorted.sort(Double::compare);
    int index = (int) Math.ceil(fraction * sorted.size()) - 1;
    return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
  }

  private static double millisSince(long start) {
    return (System.nanoTime() - start) / 1e6;
  }

  private static void sleepUntil(long start, long millis) throws InterruptedException {
    long left = millis - (long) millisSince(start);
    if (left > 0) {
      Thread.sleep(left);
    }
  }

  private static void execute(String url, String sql) throws SQLException {
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute(sql);
    }
  }

  /** A store that counts what the calls ask and remembers each call's ticket and admission. */
  private record Recording(AdmissionStore store, ThreadLocal<Call> current, Map<Long, Call> byTicket,
      AtomicLong operations) implements AdmissionStore {

    @Override
    public long enqueue(String pool, long tokens) {
      operations.incrementAndGet();
      long ticket = store.enqueue(pool, tokens);
      Call call = current.get();
      call.ticket = ticket;
      byTicket.put(ticket, call);
      return ticket;
    }

    @Override
    public Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
      operations.incrementAndGet();
      Attempt attempt = store.tryAdmit(pool, ticket, tokens, limits);
      Call call = byTicket.get(ticket);
      call.asks.incrementAndGet();
      if (attempt.isAdmitted()) {
        call.admission = attempt.admission();
      }
      return attempt;
    }

    @Override
    public boolean await(String pool, long ticket, Duration askAgainIn, PoolAdmission.Sleeper sleeper)
        throws InterruptedException {
      return store.await(pool, ticket, askAgainIn, sleeper);
    }

    @Override
    public void leave(String pool, long ticket) {
      operations.incrementAndGet();
      store.leave(pool, ticket);
    }

    @Override
    public void settle(String pool, long admission, long tokens) {
      operations.incrementAndGet();
      store.settle(pool, admission, tokens);
    }

    @Override
    public void tighten(String pool, RateLimits limits, long remainingTokens, Duration resetAfter) {
      store.tighten(pool, limits, remainingTokens, resetAfter);
    }

    @Override
    public void pause(String pool, RateLimits limits, Duration retryAfter) {
      store.pause(pool, limits, retryAfter);
    }
  }
}
