package dev.agentflow.dsl.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.agentflow.dsl.DefinitionLoader;
import dev.agentflow.dsl.LoadedDefinition;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every factory from {@link JsonMappers} takes its buffers from the one shared pool, so threads
 * that read or write JSON one after another reuse one set of buffers instead of keeping one each
 * (what a worker's cached runs, each on its own thread, did with Jackson's per-thread default).
 */
class JsonMappersTest {

  private static final String DEFINITION = """
      apiVersion: agentflow/v1
      name: pooled
      version: 1
      models: {m: {provider: offline, model: x}}
      start: done
      nodes:
        done: {kind: end, output: "input"}
      """;

  @BeforeEach
  void emptyThePool() {
    JsonMappers.RECYCLERS.clear();
  }

  @Test
  void should_build_json_and_yaml_factories_on_the_shared_pool() {
    assertThat(JsonMappers.json().getFactory()._getRecyclerPool()).isSameAs(JsonMappers.RECYCLERS);
    assertThat(JsonMappers.yaml().getFactory()._getRecyclerPool()).isSameAs(JsonMappers.RECYCLERS);
    assertThat(JsonMappers.jsonFactory()._getRecyclerPool()).isSameAs(JsonMappers.RECYCLERS);
    assertThat(JsonMappers.onSharedPool(new ObjectMapper()).getFactory()._getRecyclerPool())
        .isSameAs(JsonMappers.RECYCLERS);
  }

  @Test
  void should_keep_a_mappers_settings_when_moving_it_onto_the_shared_pool() {
    ObjectMapper configured = new ObjectMapper()
        .configure(SerializationFeature.INDENT_OUTPUT, true);

    ObjectMapper moved = JsonMappers.onSharedPool(configured);

    assertThat(moved.isEnabled(SerializationFeature.INDENT_OUTPUT)).isTrue();
  }

  @Test
  void should_reuse_one_set_of_buffers_when_200_threads_write_and_read_one_after_another() throws Exception {
    ObjectMapper mapper = JsonMappers.json();
    for (int i = 0; i < 200; i++) {
      int n = i;
      onNewThread(() -> mapper.readTree(mapper.writeValueAsString(Map.of("run", n, "text", "x".repeat(500)))));
    }

    assertThat(JsonMappers.RECYCLERS.pooledCount()).isEqualTo(1);
  }

  @Test
  void should_return_the_definition_loaders_buffers_to_the_shared_pool_however_many_threads_load() throws Exception {
    onNewThread(() -> DefinitionLoader.withoutToolCheck().load(DEFINITION, "pooled.yaml"));
    int afterOne = JsonMappers.RECYCLERS.pooledCount();

    for (int i = 0; i < 50; i++) {
      onNewThread(() -> {
        LoadedDefinition loaded = DefinitionLoader.withoutToolCheck().load(DEFINITION, "pooled.yaml");
        return DefinitionLoader.bindValidated(loaded.canonicalJson(), "pooled.json");
      });
    }

    assertThat(afterOne).isPositive();
    assertThat(JsonMappers.RECYCLERS.pooledCount()).isEqualTo(afterOne);
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
