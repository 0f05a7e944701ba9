package dev.agentflow.engine;

import dev.agentflow.dsl.json.JsonMappers;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.GlobalDataConverter;
import io.temporal.common.converter.JacksonJsonPayloadConverter;

/**
 * Temporal's default data converter with its JSON mapper moved onto agentflow's shared buffer pool
 * ({@link JsonMappers}).
 *
 * <p>The SDK's default mapper keeps Jackson's per-thread buffers, and a worker converts every
 * workflow's inputs, results and signals on that workflow's own thread, so each cached run kept a
 * set of buffers for as long as it stayed cached. The mapper here is Temporal's own
 * ({@link JacksonJsonPayloadConverter#newDefaultObjectMapper()}: same modules, same features) on
 * another factory, so it writes the same payload bytes and reads everything the default reads:
 * workers with it and clients without it agree, and recorded histories replay.
 */
public final class PayloadJson {

  private PayloadJson() {}

  /** Temporal's default converters, with the JSON one on the shared buffer pool. */
  public static DataConverter dataConverter() {
    return DefaultDataConverter.newDefaultInstance().withPayloadConverterOverrides(
        new JacksonJsonPayloadConverter(JsonMappers.onSharedPool(JacksonJsonPayloadConverter.newDefaultObjectMapper())));
  }

  /**
   * {@code client}, or a client on the same connection and options with {@link #dataConverter()}
   * when {@code client} uses Temporal's global default; a converter someone chose is kept.
   */
  public static WorkflowClient onSharedPool(WorkflowClient client) {
    WorkflowClientOptions options = client.getOptions();
    if (options.getDataConverter() != GlobalDataConverter.get()) {
      return client;
    }
    return WorkflowClient.newInstance(client.getWorkflowServiceStubs(),
        WorkflowClientOptions.newBuilder(options).setDataConverter(dataConverter()).build());
  }
}
