package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.llm.admission.AdmissionStore.Attempt;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store against a real server: the contract, what two stores on one database (two
 * workers) show, and how calls wait in line (asking rarely when far back, woken when their turn
 * comes, their places kept while their worker lives and dropped when it dies). Each test gets its own schema. Needs {@code AGENTFLOW_IT_PG_URL} ({@code
 * .ci/run} starts a server and sets it).
 */
class PostgresAdmissionStoreIT extends AdmissionStoreContractTest {

  private static final String URL_VARIABLE = "AGENTFLOW_IT_PG_URL";

  private String schemaUrl;

  @Override
  protected AdmissionStore newStore() throws SQLException {
    String url = System.getenv(URL_VARIABLE);
    assumeTrue(url != null && !url.isBlank(), URL_VARIABLE + " is not set: no PostgreSQL to test against (.ci/run starts one)");
    String schema = "it_" + UUID.randomUUID().toString().replace("-", "");
    try (Connection connection = DriverManager.getConnection(url); Statement statement = connection.createStatement()) {
      statement.execute("CREATE SCHEMA " + schema);
    }
    schemaUrl = url + (url.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    return storeOnSameDatabase();
  }

  private PostgresAdmissionStore storeOnSameDatabase() {
    return new PostgresAdmissionStore(new PostgresBlobStore(schemaUrl, null, null).database().dataSource());
  }

  private void sql(String statement, Object... parameters) throws SQLException {
    try (Connection connection = DriverManager.getConnection(schemaUrl);
        PreparedStatement prepared = connection.prepareStatement(statement)) {
      for (int i = 0; i < parameters.length; i++) {
        prepared.setObject(i + 1, parameters[i]);
      }
      prepared.execute();
    }
  }

  private Instant seen(long ticket) throws SQLException {
    try (Connection connection = DriverManager.getConnection(schemaUrl);
        PreparedStatement query = connection.prepareStatement(
            "SELECT seen FROM " + PostgresAdmissionStore.QUEUE + " WHERE ticket = ?")) {
      query.setLong(1, ticket);
      try (ResultSet rows = query.executeQuery()) {
        rows.next();
        return rows.getObject(1, OffsetDateTime.class).toInstant();
      }
    }
  }

  /** Makes the store's bell listen, and swallows the wake-up every waiter gets when it starts. */
  private static void listening(PostgresAdmissionStore worker, String pool, long ticket) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    while (!worker.wakesWaiters() && System.nanoTime() < deadline) {
      worker.await(pool, ticket, Duration.ofMillis(100), duration -> {});
    }
    assertThat(worker.wakesWaiters()).as("the bell listens").isTrue();
    Thread.sleep(200);
    worker.await(pool, ticket, Duration.ofMillis(50), duration -> {});
  }

  @Test
  void should_tell_a_call_further_back_to_ask_again_later_even_when_the_window_has_room() {
    long first = store.enqueue(pool, 10);
    long second = store.enqueue(pool, 10);
    long third = store.enqueue(pool, 10);

    Attempt secondAttempt = store.tryAdmit(pool, second, 10, TPM_1000);
    Attempt thirdAttempt = store.tryAdmit(pool, third, 10, TPM_1000);

    assertThat(secondAttempt.retryIn()).as("there is room for all three").isZero();
    assertThat(secondAttempt.askAgainIn()).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    assertThat(thirdAttempt.askAgainIn()).isGreaterThan(secondAttempt.askAgainIn());
    assertThat(store.tryAdmit(pool, first, 10, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_wake_the_next_call_in_line_of_another_worker_when_the_one_before_it_is_admitted() throws Exception {
    PostgresAdmissionStore otherWorker = storeOnSameDatabase();
    long first = store.enqueue(pool, 10);
    long next = otherWorker.enqueue(pool, 10);
    Attempt waiting = otherWorker.tryAdmit(pool, next, 10, TPM_1000);
    assertThat(waiting.isAdmitted()).isFalse();
    listening(otherWorker, pool, next);
    ExecutorService waiter = Executors.newSingleThreadExecutor();
    try {
      long started = System.nanoTime();
      Future<Long> woken = waiter.submit(() -> {
        boolean rung = otherWorker.await(pool, next, Duration.ofSeconds(60), duration -> {});
        return rung ? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) : -1L;
      });
      Thread.sleep(1000);

      assertThat(store.tryAdmit(pool, first, 10, TPM_1000).isAdmitted()).isTrue();

      assertThat(woken.get(30, TimeUnit.SECONDS)).as("woken by the admission, not before, not after its 60 s")
          .isBetween(900L, 30_000L);
      assertThat(otherWorker.tryAdmit(pool, next, 10, TPM_1000).isAdmitted()).isTrue();
    } finally {
      waiter.shutdownNow();
    }
  }

  @Test
  void should_keep_the_place_of_a_waiting_call_while_its_worker_lives_though_it_asks_rarely() throws Exception {
    PostgresAdmissionStore worker = storeOnSameDatabase();
    ask(1000, TPM_1000);
    long waiting = worker.enqueue(pool, 10);
    worker.tryAdmit(pool, waiting, 10, TPM_1000);
    listening(worker, pool, waiting);
    sql("UPDATE " + PostgresAdmissionStore.QUEUE + " SET seen = clock_timestamp() - interval '14 seconds' WHERE ticket = ?",
        waiting);
    Instant backdated = seen(waiting);

    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
    while (!seen(waiting).isAfter(backdated) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }

    assertThat(seen(waiting)).as("refreshed by the worker's bell within its keep-alive").isAfter(backdated.plusSeconds(10));
    long later = store.enqueue(pool, 10);
    assertThat(store.tryAdmit(pool, later, 10, TPM_1000).ahead()).isEqualTo(1);
  }

  @Test
  void should_drop_the_place_of_a_call_whose_worker_stopped_keeping_it() throws Exception {
    long ofADeadWorker = store.enqueue(pool, 10);
    sql("UPDATE " + PostgresAdmissionStore.QUEUE + " SET seen = clock_timestamp() - interval '16 seconds' WHERE ticket = ?",
        ofADeadWorker);
    long next = store.enqueue(pool, 10);

    assertThat(store.tryAdmit(pool, next, 10, TPM_1000).isAdmitted()).isTrue();
  }

  @Test
  void should_share_the_window_and_the_line_between_workers_on_one_database() {
    AdmissionStore otherWorker = storeOnSameDatabase();
    ask(700, TPM_1000);
    long mine = store.enqueue(pool, 600);
    store.tryAdmit(pool, mine, 600, TPM_1000);

    long theirs = otherWorker.enqueue(pool, 100);
    Attempt attempt = otherWorker.tryAdmit(pool, theirs, 100, TPM_1000);

    assertThat(attempt.isAdmitted()).as("100 would fit, but a call of another worker came first").isFalse();
    assertThat(attempt.ahead()).isEqualTo(1);
  }

  @Test
  void should_never_admit_more_than_the_limit_when_many_workers_ask_at_once() throws Exception {
    ExecutorService workers = Executors.newFixedThreadPool(8);
    try {
      List<Future<Boolean>> answers = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        AdmissionStore worker = storeOnSameDatabase();
        answers.add(workers.submit(() -> worker.tryAdmit(pool, worker.enqueue(pool, 100), 100, TPM_1000).isAdmitted()));
      }
      long admitted = 0;
      for (Future<Boolean> answer : answers) {
        admitted += answer.get(60, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(admitted).isBetween(1L, 10L);
    } finally {
      workers.shutdownNow();
    }
  }
}
