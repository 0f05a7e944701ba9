package dev.agentflow.engine.llm.admission;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.agentflow.engine.blob.PostgresBlobStore;
import dev.agentflow.engine.llm.admission.AdmissionStore.Attempt;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The PostgreSQL store against a real server: the contract, and what two stores on one database
 * (two workers) show. Each test gets its own schema. Needs {@code AGENTFLOW_IT_PG_URL} ({@code
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

  private AdmissionStore storeOnSameDatabase() {
    return new PostgresAdmissionStore(new PostgresBlobStore(schemaUrl, null, null).database().dataSource());
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
