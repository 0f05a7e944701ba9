package dev.agentflow.dsl.json;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonFactoryBuilder;
import com.fasterxml.jackson.core.util.BufferRecycler;
import com.fasterxml.jackson.core.util.JsonRecyclerPools;
import com.fasterxml.jackson.core.util.RecyclerPool;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactoryBuilder;

/**
 * Where agentflow's Jackson factories and mappers come from, so they all share one pool of
 * parse/write buffers.
 *
 * <p>Jackson's default keeps one {@link BufferRecycler} (a few buffers, ~20 KB once used) per
 * thread that ever read or wrote JSON, held until memory runs short. A worker runs every cached
 * workflow on a thread of its own (a virtual one on Java 21+), so with the default each parked run
 * kept its own set of buffers for as long as it stayed cached. Factories from here take buffers
 * from {@link #RECYCLERS}, one pool for the whole process, and give them back after each read or
 * write: the buffers in use at once follow the reads and writes in progress, not the threads.
 */
public final class JsonMappers {

  /** The one buffer pool every factory made here uses (bounded only by concurrent use). */
  public static final RecyclerPool<BufferRecycler> RECYCLERS = JsonRecyclerPools.sharedConcurrentDequePool();

  private JsonMappers() {}

  /** A JSON factory builder on the shared pool, for callers that set more (read constraints). */
  public static JsonFactoryBuilder jsonFactoryBuilder() {
    return new JsonFactoryBuilder().recyclerPool(RECYCLERS);
  }

  /** A YAML factory builder on the shared pool. */
  public static YAMLFactoryBuilder yamlFactoryBuilder() {
    return YAMLFactory.builder().recyclerPool(RECYCLERS);
  }

  /** A JSON factory on the shared pool. */
  public static JsonFactory jsonFactory() {
    return jsonFactoryBuilder().build();
  }

  /** A plain JSON mapper (Jackson's defaults) on the shared pool. */
  public static ObjectMapper json() {
    return new ObjectMapper(jsonFactory());
  }

  /** A plain YAML mapper (Jackson's defaults) on the shared pool. */
  public static ObjectMapper yaml() {
    return new ObjectMapper(yamlFactoryBuilder().build());
  }

  /**
   * {@code mapper} with all its settings and modules, on a JSON factory that uses the shared pool
   * (for mappers configured elsewhere, such as Temporal's payload converter's).
   */
  public static ObjectMapper onSharedPool(ObjectMapper mapper) {
    return mapper.copyWith(jsonFactory());
  }
}
