package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentflow.engine.blob.PostgresBlobStore;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * A crowd waiting at once: 400 calls over four workers (each its own {@link PostgresAdmissionStore}
 * on one database) through {@link PoolAdmission} with real sleeps, on a pool whose limit lets a
 * quarter of them in at once; all queue behind a call that fills the window, 20 of them are
 * cancelled while waiting, then the window frees and each admitted call settles below its
 * reservation a moment later. Correctness only, no timing: the live window never holds more
 * than the limit, calls are admitted in ticket order, and every call not cancelled is admitted.
 * Needs {@code AGENTFLOW_IT_PG_URL} ({@code .ci/run} starts a server and sets it).
 */
class AdmissionCrowdIT {

  private static final String POOL = "crowd";
  private static final int WORKERS = 4;
  private static final int CALLS = 400;
  private static final long RESERVED = 100;
  private static final long USED = 10;
  private static final RateLimits LIMITS = new RateLimits(100 * RESERVED, 0);

  /** Remembers which ticket each admission was, and which thread holds which ticket. */
  private record Recording(AdmissionStore store, Map<Long, Long> ticketOfAdmission, Map<Thread, Long> ticketOf)
      implements AdmissionStore {

    @Override
    public long enqueue(String pool, long tokens) {
      long ticket = store.enqueue(pool, tokens);
      ticketOf.put(Thread.currentThread(), ticket);
      return ticket;
    }

    @Override
    public Attempt tryAdmit(String pool, long ticket, long tokens, RateLimits limits) {
      Attempt attempt = store.tryAdmit(pool, ticket, tokens, limits);
      if (attempt.isAdmitted()) {
        ticketOfAdmission.put(attempt.admission(), ticket);
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
      store.leave(pool, ticket);
    }

    @Override
    public void settle(String pool, long admission, long tokens) {
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

  @Test
  void should_admit_a_crowd_of_waiting_calls_over_four_workers_in_order_within_the_limit_and_lose_none()
      throws Exception {
    String url = System.getenv("AGENTFLOW_IT_PG_URL");
    assumeTrue(url != null && !url.isBlank(), "AGENTFLOW_IT_PG_URL is not set: no PostgreSQL to test against (.ci/run starts one)");
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    String schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    Map<Long, Long> ticketOfAdmission = new ConcurrentHashMap<>();
    Map<Thread, Long> ticketOf = new ConcurrentHashMap<>();
    List<PoolAdmission> workers = new ArrayList<>();
    for (int i = 0; i < WORKERS; i++) {
      AdmissionStore store = new PostgresAdmissionStore(new PostgresBlobStore(schemaUrl, null, null).database().dataSource());
      workers.add(new PoolAdmission(new Recording(store, ticketOfAdmission, ticketOf), Map.of(POOL, LIMITS),
          duration -> Thread.sleep(duration.toMillis())));
    }
    PoolAdmission.Permit fillsTheWindow = workers.get(0).admit(POOL, LIMITS.tokensPerMinute(), note -> {});

    AtomicLong mostInWindow = new AtomicLong();
    AtomicReference<Exception> samplerFailure = new AtomicReference<>();
    CountDownLatch finished = new CountDownLatch(CALLS);
    Thread sampler = new Thread(() -> {
      try (Connection connection = DriverManager.getConnection(schemaUrl);
          PreparedStatement query = connection.prepareStatement("SELECT coalesce(sum(tokens), 0) FROM "
              + PostgresAdmissionStore.WINDOW + " WHERE pool = ? AND at > clock_timestamp() - interval '62 seconds'")) {
        query.setString(1, POOL);
        while (finished.getCount() > 0) {
          try (ResultSet rows = query.executeQuery()) {
            rows.next();
            mostInWindow.accumulateAndGet(rows.getLong(1), Math::max);
          }
          Thread.sleep(10);
        }
      } catch (Exception e) {
        samplerFailure.set(e);
      }
    });
    sampler.start();

    AtomicInteger admitted = new AtomicInteger();
    AtomicInteger cancelled = new AtomicInteger();
    List<String> failures = new ArrayList<>();
    List<Thread> calls = new ArrayList<>();
    for (int i = 0; i < CALLS; i++) {
      PoolAdmission worker = workers.get(i % WORKERS);
      Thread call = new Thread(() -> {
        try {
          PoolAdmission.Permit permit = worker.admit(POOL, RESERVED, note -> {});
          admitted.incrementAndGet();
          Thread.sleep(50);
          permit.settle(USED);
        } catch (InterruptedException e) {
          cancelled.incrementAndGet();
        } catch (RuntimeException e) {
          synchronized (failures) {
            failures.add(e.toString());
          }
        } finally {
          finished.countDown();
        }
      });
      calls.add(call);
      call.start();
    }
    Thread.sleep(500);
    List<Thread> cancelledCalls = new ArrayList<>();
    for (int i = CALLS - 1; i >= 0 && cancelledCalls.size() < 20; i -= 7) {
      cancelledCalls.add(calls.get(i));
      calls.get(i).interrupt();
    }
    fillsTheWindow.settle(0);

    assertThat(finished.await(10, TimeUnit.MINUTES)).as("every call was admitted or cancelled").isTrue();
    sampler.join(10_000);
    assertThat(samplerFailure.get()).isNull();
    assertThat(failures).isEmpty();
    assertThat(cancelled.get()).as("cancelled while waiting behind the full window").isEqualTo(cancelledCalls.size());
    assertThat(admitted.get() + cancelled.get()).isEqualTo(CALLS);
    for (Thread call : calls) {
      if (!cancelledCalls.contains(call)) {
        assertThat(ticketOfAdmission.values()).as("a call nobody cancelled was admitted").contains(ticketOf.get(call));
      }
    }
    assertThat(ticketOfAdmission).hasSize(admitted.get() + 1);
    List<Long> ticketsInAdmissionOrder = ticketOfAdmission.entrySet().stream()
        .sorted(Map.Entry.comparingByKey()).map(Map.Entry::getValue).toList();
    assertThat(ticketsInAdmissionOrder).as("admitted in the order they came").isSortedAccordingTo(Comparator.naturalOrder());
    assertThat(mostInWindow.get()).as("the live window never held more than the limit")
        .isPositive().isLessThanOrEqualTo(LIMITS.tokensPerMinute());
    try (Connection connection = DriverManager.getConnection(schemaUrl); Statement statement = connection.createStatement();
        ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + PostgresAdmissionStore.QUEUE)) {
      rows.next();
      assertThat(rows.getLong(1)).as("nobody left in line").isZero();
    }
  }
}
