package dev.agentflow.engine.workflow;

import com.fasterxml.jackson.databind.JsonNode;
import dev.agentflow.engine.registry.RegistryActivities;
import dev.agentflow.engine.registry.SubgraphReferences;
import dev.agentflow.engine.registry.ResolvedGraph;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;

/**
 * A run started by reference ({@code "graph": "NAME@ALIAS"}) resolves it once, with the {@code
 * ResolveGraph} activity on the run's own task queue, whose result the history records: a replay, a
 * reset or a continuation reads the same version, and a later alias flip moves only new runs. A
 * weighted alias picks from the workflow id, so a retry lands on the same version too.
 *
 * <p>No run recorded before references existed takes this path (their input has no {@code graph}),
 * so it needs no {@code Workflow.getVersion}.
 */
final class GraphResolution {

  private static final ActivityOptions OPTIONS = ActivityOptions.newBuilder()
      .setStartToCloseTimeout(Duration.ofSeconds(30))
      .setRetryOptions(RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofSeconds(1))
          .setMaximumInterval(Duration.ofSeconds(10))
          .setMaximumAttempts(5)
          .build())
      .build();

  private GraphResolution() {}

  /** The change id of pinning registered child graphs of a definition-started run. */
  static final String SUBGRAPH_REFS_CHANGE_ID = "registry-subgraph-refs";

  /**
   * A root run started with a definition whose child graphs reference the registry ({@code {ref:
   * …}}) pins them with the {@code PinSubgraphs} activity before it checks the definition. Asked
   * only when the definition has such references, which no definition could have before they
   * existed (the schema refused them), behind {@value #SUBGRAPH_REFS_CHANGE_ID} all the same.
   *
   * @return the definition with every reference pinned, or {@code definition} when it has none
   */
  static JsonNode pinSubgraphs(JsonNode definition) {
    List<String> references = SubgraphReferences.unpinned(definition);
    if (references.isEmpty()
        || Workflow.getVersion(SUBGRAPH_REFS_CHANGE_ID, Workflow.DEFAULT_VERSION, 1) < 1) {
      return definition;
    }
    RegistryActivities registry = Workflow.newActivityStub(RegistryActivities.class,
        ActivityOptions.newBuilder(OPTIONS).setSummary("pin " + String.join(", ", references)).build());
    try {
      return registry.pinSubgraphs(definition, Workflow.getInfo().getWorkflowId()).definition();
    } catch (ActivityFailure e) {
      String what = "cannot pin the registered child graphs " + references + ": ";
      if (e.getCause() instanceof ApplicationFailure cause) {
        throw ApplicationFailure.newNonRetryableFailure(what + cause.getOriginalMessage(), cause.getType());
      }
      throw ApplicationFailure.newNonRetryableFailure(what + e.getCause().getMessage(), FailureTypes.INVALID_INPUT);
    }
  }

  /**
   * @throws ApplicationFailure non-retryable, with the activity's type ({@code GraphNotFound} listing
   *     what exists, {@code InvalidGraphReference}) and message
   */
  static ResolvedGraph resolve(String reference) {
    RegistryActivities registry = Workflow.newActivityStub(RegistryActivities.class,
        ActivityOptions.newBuilder(OPTIONS).setSummary("resolve " + reference).build());
    try {
      return registry.resolve(reference, Workflow.getInfo().getWorkflowId());
    } catch (ActivityFailure e) {
      if (e.getCause() instanceof ApplicationFailure cause) {
        throw ApplicationFailure.newNonRetryableFailure(
            "cannot start from '" + reference + "': " + cause.getOriginalMessage(), cause.getType());
      }
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot start from '" + reference + "': " + e.getCause().getMessage(), FailureTypes.INVALID_INPUT);
    }
  }
}
