package dev.agentflow.engine;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.agentflow.dsl.Budget;
import dev.agentflow.dsl.json.JsonMappers;
import dev.agentflow.engine.llm.TokenUsage;
import dev.agentflow.engine.workflow.Progress;
import dev.agentflow.engine.workflow.RunOptions;
import dev.agentflow.engine.workflow.RunRequest;
import dev.agentflow.engine.workflow.RunResult;
import dev.agentflow.engine.workflow.TraceEntry;
import dev.agentflow.engine.workflow.UsageSummary;
import io.temporal.api.common.v1.Payload;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.testing.TestWorkflowEnvironment;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

/**
 * The worker's data converter writes exactly the payloads Temporal's default writes (so clients
 * with the default, and recorded histories, agree with it) while taking its JSON buffers from the
 * shared pool instead of keeping a set per workflow thread.
 */
class PayloadJsonTest {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final DataConverter DEFAULT = DefaultDataConverter.STANDARD_INSTANCE;

  private static List<Object> representativeValues() throws Exception {
    JsonNode definition = JSON.readTree("{\"apiVersion\":\"agentflow/v1\",\"name\":\"gate\",\"version\":1,"
        + "\"start\":\"approval\",\"nodes\":{\"approval\":{\"kind\":\"wait\",\"signal\":\"approve\"}},\"ünï\":\"😀\"}");
    JsonNode input = JSON.readTree("{\"topic\":\"payments\",\"amount\":12.5,\"tags\":[\"a\",null,true]}");
    RunOptions options = new RunOptions("gate.yaml", 200, new Budget(1_000L, 0.5, Budget.OnExceed.FAIL), null);
    UsageSummary usage = new UsageSummary(Map.of("m", new TokenUsage(10, 20)), new TokenUsage(10, 20));
    TraceEntry entry = new TraceEntry(1, "approval", "wait", 1, 1_700_000_000_000L, 42, 0, 0, "signal", "done");
    return List.of(
        new RunRequest(definition, input, options),
        RunRequest.byReference("gate@prod", input, null),
        new RunResult(input, usage, List.of(entry), 3),
        new Progress("gate", 1, "approval", List.of(entry), usage, "approve"),
        "plain text \n with \"quotes\"",
        12_345_678_901L,
        Map.of("when", Instant.parse("2026-11-30T22:00:00Z"), "after", Duration.ofSeconds(90)),
        Optional.of("present"));
  }

  @Test
  void should_write_the_same_payload_bytes_as_temporals_default_converter() throws Exception {
    DataConverter shared = PayloadJson.dataConverter();

    for (Object value : representativeValues()) {
      Payload ours = shared.toPayload(value).orElseThrow();
      Payload theirs = DEFAULT.toPayload(value).orElseThrow();
      assertThat(ours).as("payload of %s", value.getClass().getSimpleName()).isEqualTo(theirs);
    }
  }

  @Test
  void should_read_what_temporals_default_converter_wrote() throws Exception {
    DataConverter shared = PayloadJson.dataConverter();

    for (Object value : representativeValues()) {
      Payload theirs = DEFAULT.toPayload(value).orElseThrow();
      Object ours = shared.fromPayload(theirs, value.getClass(), value.getClass());
      Object defaults = DEFAULT.fromPayload(theirs, value.getClass(), value.getClass());
      assertThat(ours).as("%s read back", value.getClass().getSimpleName()).isEqualTo(defaults);
    }
  }

  @Test
  void should_reuse_one_set_of_buffers_when_100_threads_convert_one_after_another() throws Exception {
    DataConverter shared = PayloadJson.dataConverter();
    List<Object> values = representativeValues();
    JsonMappers.RECYCLERS.clear();

    for (int i = 0; i < 100; i++) {
      Object value = values.get(i % values.size());
      onNewThread(() -> shared.fromPayload(shared.toPayload(value).orElseThrow(), value.getClass(), value.getClass()));
    }

    assertThat(JsonMappers.RECYCLERS.pooledCount()).isEqualTo(1);
  }

  @Test
  void should_give_a_client_with_temporals_default_converter_the_shared_one_and_keep_a_chosen_one() {
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      WorkflowClient defaultClient = env.getWorkflowClient();
      DataConverter chosen = DefaultDataConverter.newDefaultInstance();
      WorkflowClient chosenClient = WorkflowClient.newInstance(env.getWorkflowServiceStubs(),
          WorkflowClientOptions.newBuilder(defaultClient.getOptions()).setDataConverter(chosen).build());

      WorkflowClient moved = PayloadJson.onSharedPool(defaultClient);

      assertThat(moved.getOptions().getDataConverter()).isNotSameAs(defaultClient.getOptions().getDataConverter());
      assertThat(moved.getOptions().getNamespace()).isEqualTo(defaultClient.getOptions().getNamespace());
      assertThat(PayloadJson.onSharedPool(chosenClient)).isSameAs(chosenClient);
    }
  }

  private interface Work {
    Object run() throws Exception;
  }

  private static void onNewThread(Work work) throws Exception {
    AtomicReference<Exception> failure = new AtomicReference<>();
    Thread thread = new Thread(() -> {
      try {
        work.run();
      } catch (Exception e) {
        failure.set(e);
      }
    });
    thread.start();
    thread.join();
    if (failure.get() != null) {
      throw failure.get();
    }
  }
}
