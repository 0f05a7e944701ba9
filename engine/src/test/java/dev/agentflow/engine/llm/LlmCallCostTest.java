package dev.agentflow.engine.llm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.agentflow.dsl.Price;
import dev.agentflow.engine.config.ModelPrice;
import dev.agentflow.engine.llm.offline.OfflineScript;
import dev.agentflow.engine.llm.offline.ScriptLibrary;
import dev.agentflow.engine.llm.offline.ScriptedReply;
import dev.agentflow.engine.testing.InMemoryBlobStore;
import dev.agentflow.engine.testing.TestModels;
import dev.agentflow.tools.ToolRegistry;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The LLM activity prices each call: the definition's price first, else the worker's table. */
class LlmCallCostTest {

  private static LlmActivitiesImpl activities(Map<String, Price> workerPrices) {
    ScriptLibrary scripts = ScriptLibrary.of(List.of(new OfflineScript(
        "graph",
        Map.of("agent", List.of(new ScriptedReply("hi", null, new ScriptedReply.Usage(1000, 500), null))),
        "inline")));
    return new LlmActivitiesImpl(
        new InMemoryBlobStore(), ProviderRegistry.offlineOnly(scripts), ToolRegistry.of(List.of()), workerPrices);
  }

  private static LlmCallRequest request(Price price) {
    return new LlmCallRequest("graph", "agent", 0, "m", TestModels.offlineModel(), null,
        List.of(ChatMessage.user("x")), List.of(), null, price);
  }

  @Test
  void should_price_the_call_with_the_definitions_price_over_the_workers() {
    LlmCallResult result =
        activities(Map.of("scripted", new Price(100, 100))).callLlm(request(new Price(2.0, 8.0)));

    assertThat(result.costUsd()).isCloseTo((1000 * 2.0 + 500 * 8.0) / 1e6, within(1e-12));
  }

  @Test
  void should_price_the_call_from_the_workers_table_by_provider_model_name() {
    LlmCallResult result = activities(
        LlmActivitiesImpl.prices(Map.of("scripted", new ModelPrice(1.0, 4.0)))).callLlm(request(null));

    assertThat(result.costUsd()).isCloseTo(0.003, within(1e-12));
  }

  @Test
  void should_report_no_cost_when_no_price_is_known() {
    assertThat(activities(Map.of()).callLlm(request(null)).costUsd()).isNull();
  }
}
